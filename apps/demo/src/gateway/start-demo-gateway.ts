import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayStore } from '@orchestrator/postgres';
import { createServer, type GatewayServer } from '@orchestrator/server';
import { type Env, Fleet, type FleetProvider } from '../simulated/index.js';
import { createDemoRoutes } from './demo-routes.js';
import { EventFeed } from './event-feed.js';
import { createLogStream } from './log-stream.js';
import { sharedStateFromEnv } from './shared-state.js';
import { TimeSeries } from './time-series.js';

export const DEFAULT_PORT = 8787;

export interface DemoGatewayOptions {
  readonly port?: number;
  /** Default 127.0.0.1: the demo is for this machine. */
  readonly host?: string;
  /** `false` serves everyone as user "local" with admin rights (a loud warning says so). */
  readonly auth?: boolean;
  /** The admin key; default `ORCHESTRATOR_ADMIN_KEY`, else one generated for this run. */
  readonly adminKey?: string;
  /** Local data directory (PGlite lives in `<dataDir>/pglite`). Default `./.data`. */
  readonly dataDir?: string;
  /** A ready store instead (tests use the memory one). */
  readonly store?: GatewayStore;
  readonly env?: Env;
  /** Scales simulated latencies (tests use 0). */
  readonly timeScale?: number;
  readonly seed?: number;
  /** No random provider failures (tests). */
  readonly reliable?: boolean;
  /** Only these providers of the fleet (default all). */
  readonly providers?: readonly FleetProvider[];
  /** Where the built dashboard is; default `apps/demo/dist/dashboard`. */
  readonly dashboardDir?: string;
  /** Told when the embedded database is created (its first start takes a while). */
  readonly onFirstRun?: (dataDir: string) => void;
  /** Receives the gateway's warnings and errors, one line each (default stderr). */
  readonly log?: (line: string) => void;
}

export interface DemoGateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The admin key, when auth is on. */
  readonly adminKey: string | undefined;
  /** Whether the admin key was generated for this run (and so must be shown once). */
  readonly adminKeyGenerated: boolean;
  readonly auth: boolean;
  readonly fleet: Fleet;
  readonly gateway: GatewayServer;
  readonly feed: EventFeed;
  readonly storage: string;
  /** Where PGlite keeps its files, when it is the store. */
  readonly dataDir: string | undefined;
  readonly sharedState: string;
  close(): Promise<void>;
}

const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Starts the demo: the simulated (or live) fleet, `@orchestrator/server`
 * on PGlite (or `DATABASE_URL`) with in-memory (or `REDIS_URL`) shared
 * state, and the dashboard with its API mounted in front of the gateway's
 * routes.
 */
export async function startDemoGateway(options: DemoGatewayOptions = {}): Promise<DemoGateway> {
  const env = options.env ?? process.env;
  const auth = options.auth ?? true;
  const presetKey = options.adminKey ?? (env.ORCHESTRATOR_ADMIN_KEY?.trim() || undefined);
  // 192 random bits, shown once in the banner and kept only in this process.
  const adminKey = auth
    ? (presetKey ?? `orch_admin_${randomBytes(24).toString('base64url')}`)
    : undefined;
  const fleet = await Fleet.start({
    env,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    reliable: options.reliable === true,
    ...(options.providers === undefined ? {} : { providers: options.providers }),
  });
  const shared = sharedStateFromEnv(env);
  const dataDir = resolve(options.dataDir ?? '.data');
  const usesPglite = options.store === undefined && !env.DATABASE_URL?.trim();
  if (usesPglite && !existsSync(join(dataDir, 'pglite'))) options.onFirstRun?.(dataDir);
  // PGlite creates its own directory but not the parents.
  if (options.store === undefined) await mkdir(dataDir, { recursive: true });
  let gateway: GatewayServer;
  try {
    gateway = await createServer(
      {
        server: {
          port: options.port ?? DEFAULT_PORT,
          host: options.host ?? '127.0.0.1',
          logLevel: 'warn',
          shutdownGraceMs: 3_000,
        },
        auth: { enabled: auth, ...(adminKey === undefined ? {} : { adminKey }) },
        routing: { defaultStrategy: 'balanced' },
        cache: { enabled: true, ttlMs: 15 * 60_000, maxEntries: 5_000 },
        // A stalled provider gives way to the next model well before a user gives up.
        timeouts: { totalMs: 60_000, attemptMs: 20_000, idleMs: 15_000 },
        storage: { dataDir: join(dataDir, 'pglite') },
      },
      {
        models: fleet.models,
        // The fleet already decided which providers are live; the server only needs storage.
        env: {
          ...(env.DATABASE_URL === undefined ? {} : { DATABASE_URL: env.DATABASE_URL }),
        },
        ...(options.store === undefined ? {} : { store: options.store }),
        ...(shared.stores === undefined ? {} : { stores: shared.stores }),
        logStream: createLogStream(options.log ?? ((line) => process.stderr.write(`${line}\n`))),
      },
    );
  } catch (error) {
    await fleet.close();
    await shared.close();
    throw error;
  }
  const feed = new EventFeed(gateway.orchestrator, fleet);
  const series = new TimeSeries(feed);
  const demo = createDemoRoutes({
    orchestrator: gateway.orchestrator,
    store: gateway.store,
    fleet,
    feed,
    series,
    auth,
    adminKey,
    dashboardDir: options.dashboardDir ?? join(APP_ROOT, 'dist', 'dashboard'),
  });
  mountInFront(gateway, demo);
  let url: string;
  try {
    url = await gateway.listen();
  } catch (error) {
    series.close();
    feed.close();
    await gateway.close();
    await fleet.close();
    await shared.close();
    throw error;
  }
  return {
    url: url.replace('[::1]', '127.0.0.1'),
    adminKey,
    adminKeyGenerated: auth && presetKey === undefined,
    auth,
    fleet,
    gateway,
    feed,
    storage: gateway.store.kind,
    dataDir: gateway.store.kind === 'pglite' ? join(dataDir, 'pglite') : undefined,
    sharedState: shared.kind,
    async close() {
      series.close();
      feed.close();
      await gateway.close();
      await fleet.close();
      await shared.close();
    },
  };
}

/**
 * createServer readies its Fastify app before returning, after which no
 * route may be added; so the demo's routes sit in front of Fastify's request
 * listener on the same HTTP server, and everything they decline goes on to
 * the gateway unchanged.
 */
function mountInFront(
  gateway: GatewayServer,
  demo: (req: IncomingMessage, res: ServerResponse) => boolean,
): void {
  const server = gateway.app.server;
  const originals = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (demo(req, res)) return;
    for (const listener of originals) listener.call(server, req, res);
  });
}
