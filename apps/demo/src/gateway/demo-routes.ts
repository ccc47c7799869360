import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FLEET_PROVIDERS, type FleetProvider, isFault } from '../simulated/index.js';
import {
  type DashboardSnapshot,
  dashboardSnapshot,
  type SnapshotSources,
} from './dashboard-snapshot.js';
import type { FeedItem } from './event-feed.js';
import { serveStatic } from './static-files.js';

export interface DemoRoutesOptions extends SnapshotSources {
  /** Directory of the built dashboard (index.html and assets/). */
  readonly dashboardDir: string;
  /** The key the demo API requires when auth is on (the gateway's admin key). */
  readonly adminKey: string | undefined;
}

/** A Node request handler that answers the demo's own routes and declines the rest. */
export type DemoHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const KEEP_ALIVE_MS = 15_000;
const MAX_BODY_BYTES = 4_096;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The dashboard page and the small API behind it: a snapshot of every
 * figure, a server-sent feed of the engine's events, and fault injection
 * into simulated providers. Mounted in front of the gateway's own routes.
 * With auth on, the API takes the admin key (the page gets it from the URL
 * fragment the banner prints, which never reaches a server log).
 */
export function createDemoRoutes(options: DemoRoutesOptions): DemoHandler {
  const adminDigest = options.adminKey === undefined ? undefined : digest(options.adminKey);
  const authorized = (req: IncomingMessage): boolean => {
    if (!options.auth || adminDigest === undefined) return true;
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), adminDigest);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!authorized(req)) {
      error(
        res,
        401,
        'invalid_api_key',
        'The demo API needs the admin key: Authorization: Bearer <key>.',
      );
      return;
    }
    if (req.method === 'GET' && path === '/demo/api/snapshot') {
      const snapshot: DashboardSnapshot = await dashboardSnapshot(options);
      json(res, 200, snapshot);
      return;
    }
    if (req.method === 'GET' && path === '/demo/api/feed') {
      feed(req, res);
      return;
    }
    const fault = /^\/demo\/api\/faults\/([a-z]+)$/.exec(path);
    if (fault) {
      const provider = fault[1] as FleetProvider;
      if (!(FLEET_PROVIDERS as readonly string[]).includes(provider)) {
        error(res, 404, 'provider_not_found', `No provider "${provider}" in the demo fleet.`);
        return;
      }
      const fleet = options.fleet;
      if (!fleet?.isSimulated(provider)) {
        error(
          res,
          409,
          'not_simulated',
          `${provider} is not simulated; faults apply to simulated providers only.`,
        );
        return;
      }
      if (req.method === 'DELETE') {
        fleet.recover(provider);
        json(res, 200, { provider, fault: null });
        return;
      }
      if (req.method === 'POST') {
        const body = (await readJson(req)) as { fault?: unknown };
        if (!isFault(body.fault)) {
          error(res, 400, 'invalid_fault', 'fault must be "outage", "slow" or "rate_limit".');
          return;
        }
        fleet.inject(provider, body.fault);
        json(res, 200, { provider, fault: body.fault });
        return;
      }
    }
    error(res, 404, 'route_not_found', `No route ${req.method} ${path}.`);
  };

  const feed = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (item: FeedItem): void => {
      res.write(`id: ${item.id}\nevent: item\ndata: ${JSON.stringify(item)}\n\n`);
    };
    for (const item of options.feed.recent(80)) send(item);
    const stop = options.feed.subscribe(send);
    const ping = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    req.once('close', () => {
      stop();
      clearInterval(ping);
    });
  };

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: '/dashboard' }).end();
      return true;
    }
    if (path === '/dashboard' || path.startsWith('/dashboard/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      void serveStatic(
        options.dashboardDir,
        path.slice('/dashboard'.length).replace(/^\//, ''),
        res,
      );
      return true;
    }
    if (path.startsWith('/demo/api/')) {
      api(req, res, path).catch((e: unknown) => {
        if (!res.headersSent)
          error(res, 400, 'bad_request', e instanceof Error ? e.message : 'bad request');
        else res.destroy();
      });
      return true;
    }
    return false;
  };
}
