import { banner } from '../gateway/banner.js';
import { startDemoGateway } from '../gateway/start-demo-gateway.js';
import { runTraffic } from '../traffic/traffic-generator.js';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly auth: boolean;
  readonly traffic: boolean;
  readonly trafficRequests: number;
  readonly dataDir: string;
}

/**
 * `orchestrator serve`: starts the demo gateway, prints where to go, runs
 * the optional traffic, and shuts down cleanly on Ctrl-C / SIGTERM.
 */
export async function serveCommand(ctx: CliContext, o: ServeOptions): Promise<number> {
  const started = performance.now();
  const gateway = await startDemoGateway({
    port: o.port,
    host: o.host,
    auth: o.auth,
    dataDir: o.dataDir,
    env: ctx.env,
    log: (line) => ctx.err(line),
    onFirstRun: (dir) =>
      ctx.err(
        ctx.dim(
          `  first run: creating the embedded PostgreSQL database in ${dir} (once; later starts take seconds)…`,
        ),
      ),
  }).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`Port ${o.port} is in use. Pick another with --port or PORT.`, 1);
    throw error;
  });
  ctx.out(banner(gateway, { color: ctx.interactive }));
  ctx.err(
    ctx.dim(`  ready in ${((performance.now() - started) / 1000).toFixed(1)} s — Ctrl-C stops it`),
  );
  const stopTraffic = new AbortController();
  if (o.traffic) {
    runTraffic({
      url: gateway.url,
      adminKey: gateway.adminKey,
      fleet: gateway.fleet,
      requests: o.trafficRequests,
      signal: stopTraffic.signal,
      log: (line) => ctx.err(ctx.dim(`  ${line}`)),
    }).catch((error: unknown) => ctx.err(`traffic stopped: ${String(error)}`));
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  ctx.err('\n  shutting down…');
  stopTraffic.abort();
  await gateway.close();
  return 0;
}
