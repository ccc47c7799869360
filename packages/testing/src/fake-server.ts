import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultScript, scriptMatches } from './fault-script.js';
import { DEFAULT_PROFILE, type ModelProfile } from './model-profile.js';
import { seededRandom } from './seeded-random.js';
import { cutByServer } from './write-stream.js';

/** One request the fake server received, as the SDK sent it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  readonly body: unknown;
}

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly request: RecordedRequest;
  /** Route parameters captured by `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * The fault script this request consumed, if any. Always undefined on a
   * route registered with `{ script: 'on-demand' }`: it calls `takeScript()`.
   */
  readonly script: FaultScript | undefined;
  /**
   * The queued script for this request: on an `on-demand` route it is taken
   * from the queue on the first call (later calls return the same one); on
   * other routes it is `script`. A reply that never calls it leaves the
   * queue as it was.
   */
  takeScript(): FaultScript | undefined;
  /** The profile of the requested model (defaults filled in). */
  readonly profile: Required<ModelProfile>;
  /** The model the request named, if the provider puts it in the body or path. */
  readonly model: string | undefined;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;

export interface RouteOptions {
  /**
   * When a request takes its queued fault script: `'before'` (default) hands
   * it over as `ctx.script` before the handler runs; `'on-demand'` leaves it
   * queued until the handler calls `ctx.takeScript()`, for handlers that may
   * answer without one (a loading reply) and must not use it up.
   */
  readonly script?: 'before' | 'on-demand';
}

/** A response that closed, as `close` events and `waitForClose` report it. */
export interface ClosedResponse {
  readonly path: string;
  readonly request: RecordedRequest;
  /** True when the whole response was written. */
  readonly completed: boolean;
  /** True when the client went away first (unfinished, and not cut by a script). */
  readonly byClient: boolean;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: RouteHandler;
  readonly onDemand: boolean;
}

export interface FakeServerOptions {
  /** Seed of the randomness behind profile latencies and failures. */
  readonly seed?: number;
  /** Profiles per model id; `*` applies to every model without its own. */
  readonly profiles?: Readonly<Record<string, ModelProfile>>;
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
}

/**
 * The HTTP core every fake provider server is built on: routing, request
 * recording, fault scripts and model profiles. Listens on 127.0.0.1 only.
 *
 * `events` emits `request` (RecordedRequest) when a request reaches a route,
 * before it is answered; `close` (ClosedResponse) when its response closes;
 * and `client-closed` (RecordedRequest) when the client went away before the
 * response was finished (an aborted call; a script's own cut does not count).
 * `waitForRequest`, `waitForClose` and `waitForClientClose` wrap them.
 */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly events = new EventEmitter();
  protected readonly routes: Route[] = [];
  private readonly scripts: { script: FaultScript; remaining: number }[] = [];
  private readonly profiles = new Map<string, ModelProfile>();
  private readonly sockets = new Set<import('node:net').Socket>();
  private server: Server | undefined;
  private baseUrl: string | undefined;
  /** Randomness for profile-driven latency and failures; seeded for reproducibility. */
  readonly random: () => number;

  constructor(private readonly options: FakeServerOptions = {}) {
    this.random = seededRandom(options.seed ?? 42);
    this.events.setMaxListeners(0);
    for (const [model, profile] of Object.entries(options.profiles ?? {}))
      this.profiles.set(model, profile);
  }

  /** `http://127.0.0.1:<port>` once listening. */
  get url(): string {
    if (!this.baseUrl) throw new Error('The fake server is not listening; call start() first.');
    return this.baseUrl;
  }

  route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          const rest = segment.slice(1);
          // `:model:generateContent` style segments: a parameter followed by a literal suffix.
          const colon = rest.indexOf(':');
          keys.push(colon === -1 ? rest : rest.slice(0, colon));
          return colon === -1 ? '([^/]+)' : `([^/:]+)${escapeRegExp(rest.slice(colon))}`;
        }
        if (segment === '*') {
          keys.push('rest');
          return '(.*)';
        }
        return escapeRegExp(segment);
      })
      .join('/');
    this.routes.push({
      method,
      pattern: new RegExp(`^${source}$`),
      keys,
      handler,
      onDemand: options.script === 'on-demand',
    });
    return this;
  }

  /** Queue fault scripts; each applies to the next matching request(s). */
  enqueue(...scripts: FaultScript[]): this {
    for (const script of scripts) this.scripts.push({ script, remaining: script.times ?? 1 });
    return this;
  }

  /** Drop every queued script (ends lasting faults). */
  clearScripts(): this {
    this.scripts.length = 0;
    return this;
  }

  setProfile(model: string, profile: ModelProfile): this {
    this.profiles.set(model, profile);
    return this;
  }

  profileOf(model: string | undefined): Required<ModelProfile> {
    const own =
      (model === undefined ? undefined : this.profiles.get(model)) ?? this.profiles.get('*');
    return { ...DEFAULT_PROFILE, ...own };
  }

  /** The last request whose path starts with `path`. */
  lastRequest(path?: string): RecordedRequest | undefined {
    for (let i = this.requests.length - 1; i >= 0; i--) {
      const r = this.requests[i]!;
      if (path === undefined || r.path.startsWith(path)) return r;
    }
    return undefined;
  }

  /** Resolves with the next request on a path starting with `path` once it reaches a route. */
  waitForRequest(path = ''): Promise<RecordedRequest> {
    return this.waitFor<RecordedRequest>('request', (r) => r.path.startsWith(path));
  }

  /** Resolves when the next response on a path starting with `path` closes, finished or not. */
  waitForClose(path = ''): Promise<ClosedResponse> {
    return this.waitFor<ClosedResponse>('close', (c) => c.path.startsWith(path));
  }

  /** Resolves when the client closes the next response on such a path before it was finished. */
  waitForClientClose(path = ''): Promise<ClosedResponse> {
    return this.waitFor<ClosedResponse>('close', (c) => c.byClient && c.path.startsWith(path));
  }

  private waitFor<T>(event: string, accept: (item: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const listener = (item: T) => {
        if (!accept(item)) return;
        this.events.off(event, listener);
        resolve(item);
      };
      this.events.on(event, listener);
    });
  }

  async start(): Promise<string> {
    if (this.baseUrl) return this.baseUrl;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `fake server failure: ${String(error)}` } }));
        } else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The model a request names; providers override where it lives (body, path). */
  protected modelOf(
    request: RecordedRequest,
    params: Readonly<Record<string, string>>,
  ): string | undefined {
    const body = request.body as { model?: unknown } | undefined;
    if (body && typeof body.model === 'string') return body.model;
    return params.model;
  }

  private takeScript(path: string, model: string | undefined): FaultScript | undefined {
    const index = this.scripts.findIndex((s) => scriptMatches(s.script, path, model));
    if (index === -1) return undefined;
    const entry = this.scripts[index]!;
    entry.remaining--;
    if (entry.remaining <= 0) this.scripts.splice(index, 1);
    return entry.script;
  }

  private recordClose(request: RecordedRequest, res: ServerResponse): void {
    res.once('close', () => {
      const completed = res.writableFinished;
      const byClient = !completed && !cutByServer(res);
      const closed: ClosedResponse = { path: request.path, request, completed, byClient };
      this.events.emit('close', closed);
      if (byClient) this.events.emit('client-closed', request);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    let body: unknown;
    const type = String(req.headers['content-type'] ?? '');
    if (rawBody.length > 0 && (type.includes('json') || type === '')) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { ...req.headers },
      rawBody,
      body,
    };
    this.requests.push(request);
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '');
      });
      const model = this.modelOf(request, params);
      const script = route.onDemand ? undefined : this.takeScript(url.pathname, model);
      let taken = !route.onDemand;
      let onDemand: FaultScript | undefined;
      const takeScript = (): FaultScript | undefined => {
        if (!taken) {
          taken = true;
          onDemand = this.takeScript(url.pathname, model);
        }
        return script ?? onDemand;
      };
      const profile = this.profileOf(model);
      this.recordClose(request, res);
      this.events.emit('request', request);
      await route.handler({ req, res, request, params, script, takeScript, profile, model });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: { message: `No route for ${request.method} ${url.pathname}` } }),
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
