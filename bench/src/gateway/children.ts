// The programs the benchmark runs in child processes, as ES module source run
// with `node --input-type=module --eval`, so that a child carries no TypeScript
// loader (its RSS and CPU are the program's own). Bare imports resolve from the
// bench package (the child's cwd): to the built `dist/` of the workspace
// packages, or to their TypeScript sources with `--conditions=@orchestrator/source
// --import tsx` (see `sourceFlags`).

/** The key the gateways send upstream; the fake does not check it. */
export const UPSTREAM_KEY = 'sk-bench-0123456789abcdefghijklmnop';

/** Flags that make a child import the workspace packages' TypeScript sources. */
export const sourceFlags = ['--conditions=@orchestrator/source', '--import', 'tsx'] as const;

/**
 * The upstream: a FakeOpenAIServer on 127.0.0.1 answering at once (every
 * profile field zero: no latency, no failures, the whole stream in one go).
 * Sends `{ type: 'ready', url, baseURL }` over IPC.
 */
export const upstreamProgram = `
import { FakeOpenAIServer } from '@orchestrator/testing';
const server = new FakeOpenAIServer({
  profiles: { '*': { latencyMs: 0, latencyJitter: 0, tokensPerSecond: 0, failureRate: 0, rateLimitRate: 0 } },
});
await server.start();
// The fake records every request for tests; a benchmark sends far too many to keep.
setInterval(() => { server.requests.length = 0; }, 250).unref();
process.on('disconnect', () => process.exit(0));
process.once('SIGTERM', () => { server.close().finally(() => process.exit(0)); });
process.send({ type: 'ready', url: server.url, baseURL: server.baseURL });
`;

/**
 * Our gateway: createServer with the fake as its only OpenAI model, auth off,
 * cache off (every request goes upstream), storage in memory, JSON logs at
 * BENCH_LOG_LEVEL to stdout (ignored by the parent, i.e. /dev/null).
 * Sends `{ type: 'ready', url }` over IPC.
 */
export const orchestratorProgram = `
import { createServer } from '@orchestrator/server';
const gateway = await createServer(
  {
    server: { host: '127.0.0.1', port: 0, logLevel: process.env.BENCH_LOG_LEVEL || 'info' },
    auth: { enabled: false },
    cache: { enabled: false },
    providers: { openai: { baseURL: process.env.BENCH_UPSTREAM, allowLoopback: true } },
    models: [{ name: 'gpt-4o-mini', provider: 'openai', modelId: 'gpt-4o-mini' }],
  },
  { env: { OPENAI_API_KEY: process.env.BENCH_UPSTREAM_KEY } },
);
const url = await gateway.listen({ port: 0, host: '127.0.0.1' });
process.on('disconnect', () => process.exit(0));
process.once('SIGTERM', () => { gateway.close().finally(() => process.exit(0)); });
process.send({ type: 'ready', url });
`;

/**
 * Preloaded into Portkey's gateway (`--import data:…`): its server would
 * listen on every interface; this binds it to 127.0.0.1 and reports the port
 * over IPC (`{ type: 'ready', port }`). It exits when the parent goes away.
 */
const portkeyPreload = `
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    if (typeof args[1] === 'function') args.splice(1, 0, '127.0.0.1');
    else if (args[1] === undefined || args[1] === null) args[1] = '127.0.0.1';
  } else if (typeof args[0] === 'object' && args[0] !== null && args[0].host === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') process.send?.({ type: 'ready', port: address.port });
  });
  return listen.apply(this, args);
};
process.on('disconnect', () => process.exit(0));
`;

export const portkeyPreloadUrl = `data:text/javascript,${encodeURIComponent(portkeyPreload)}`;
