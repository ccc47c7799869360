import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { abortReason, type ExchangeLimits, exchange } from './exchange.js';
import { type RequestParts, requestParts } from './request-parts.js';

export interface TransportOptions {
  /**
   * Longest wait for a response's headers, in ms; 0 (the default) waits as
   * long as the call's own signal allows. A reasoning model can think for
   * many minutes before its first byte, and a 300 s limit (undici's, which
   * Node's fetch has) would cut such a call short; the adapters give every
   * call its own deadline.
   */
  readonly headersTimeoutMs?: number;
  /**
   * Longest silence between two body chunks, in ms (default 300 000, as Node's
   * fetch); 0 disables it. Time a consumer holds a streamed body back does not count.
   */
  readonly bodyTimeoutMs?: number;
  /** Longest wait for a TCP (and TLS) connection, in ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /**
   * How long an idle pooled connection is kept, in ms (default 30 000); shorter
   * when the server's `Keep-Alive: timeout=N` says it closes sooner. 0 keeps no
   * idle connection (every request opens its own).
   */
  readonly keepAliveTimeoutMs?: number;
  /** Most connections per origin (default: no limit, as with fetch). */
  readonly connections?: number;
  /**
   * Responses up to this many bytes (by `Content-Length`), and JSON responses
   * of unknown length, are read whole before the fetch resolves; others, and
   * every event-stream or NDJSON response, are handed over as a stream.
   * Default 8 MiB.
   */
  readonly maxBufferedBytes?: number;
  /** Same-origin redirects followed at most (default 5); see `redirect` in the README. */
  readonly maxRedirects?: number;
  /**
   * node:http / node:https agents to send through instead of the transport's
   * own: a proxy agent, custom TLS (an `https.Agent` with its own `ca`), a test
   * double. A given agent is used as it is (its pooling, its timeouts) and
   * `close()` leaves it open; a scheme without one gets the transport's own.
   */
  readonly agent?: { readonly http?: HttpAgent; readonly https?: HttpsAgent };
}

/** `fetch`, plus `close()` for the connections its own agents hold. */
export type TransportFetch = typeof globalThis.fetch & {
  /** Closes the pooled connections once their requests have ended. */
  close(): Promise<void>;
};

const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Creates a `fetch` that sends with Node's own HTTP client (node:http and
 * node:https), instead of fetch's machinery:
 *
 * - one pool of keep-alive connections per scheme per transport (an `Agent`
 *   each, created on first use);
 * - a JSON (or any short) response is read whole before the promise resolves,
 *   so an SDK's "timeout until the response arrives" covers its body too, and
 *   the `Response` is built from bytes rather than piped through web streams;
 * - event streams and NDJSON stream through, with back-pressure;
 * - the signal is listened to directly: no linked controllers;
 * - errors look like fetch's: an abort rejects with the signal's reason, a
 *   network failure with `TypeError('fetch failed', { cause })`, and neither
 *   carries the URL or a header (so no key in a query string or header leaks).
 *
 * Not undici's dispatcher: its WebAssembly HTTP parser costs ~10 MB of
 * resident memory in a gateway once V8 has tiered it up, and loading its
 * Agent ~10 MB more, for no gain per request over node:http (see the README).
 *
 * It returns real `Response` objects, so SDKs and callers use it as fetch.
 */
export function createTransportFetch(options: TransportOptions = {}): TransportFetch {
  validate(options);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const limits: ExchangeLimits = {
    connectMs: options.connectTimeoutMs ?? 10_000,
    headersMs: options.headersTimeoutMs ?? 0,
    bodyMs: options.bodyTimeoutMs ?? 300_000,
    maxBuffered: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED,
  };
  const pools = new Pools(options);

  const transportFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    let parts = await requestParts(input, init);
    for (let hop = 0; ; hop++) {
      const signal = parts.signal;
      if (signal?.aborted) throw abortReason(signal);
      const response = await exchange(parts, pools.agentFor(parts.url), limits, hop > 0);
      const location = redirectTarget(response, parts);
      if (location === undefined) return response;
      if (parts.redirect === 'manual') return response;
      await response.body?.cancel();
      if (parts.redirect === 'error') throw new TypeError('fetch failed: the response redirects');
      if (hop >= maxRedirects) throw new TypeError('fetch failed: too many redirects');
      parts = redirected(parts, response.status, location);
    }
  };
  return Object.assign(transportFetch, { close: () => pools.close() }) as TransportFetch;
}

/**
 * The transport's agents: keep-alive, at most `connections` sockets per
 * origin, most recently used socket first (LIFO, node:http's default: the
 * freshest connection is the least likely to be closed by the server). An
 * idle socket closes after `keepAliveTimeoutMs`, or a second before the
 * server's own `Keep-Alive: timeout=N` runs out when that is sooner
 * (node:http's `Agent.keepSocketAlive` reads the hint, given a `timeout`).
 */
class Pools {
  #http: HttpAgent | undefined;
  #https: HttpsAgent | undefined;
  readonly #own: HttpAgent[] = [];
  #closed = false;

  constructor(private readonly options: TransportOptions) {
    this.#http = options.agent?.http;
    this.#https = options.agent?.https;
  }

  agentFor(url: URL): HttpAgent {
    if (this.#closed) throw new TypeError('fetch failed: the transport is closed');
    if (url.protocol === 'https:') {
      this.#https ??= this.#create(HttpsAgent);
      return this.#https;
    }
    this.#http ??= this.#create(HttpAgent);
    return this.#http;
  }

  #create<A extends HttpAgent>(Kind: new (options: import('node:http').AgentOptions) => A): A {
    const idleMs = this.options.keepAliveTimeoutMs ?? 30_000;
    const agent = new Kind({
      keepAlive: idleMs > 0,
      ...(idleMs > 0 ? { timeout: idleMs } : {}),
      ...(this.options.connections === undefined ? {} : { maxSockets: this.options.connections }),
      scheduling: 'lifo',
    });
    this.#own.push(agent);
    return agent;
  }

  /** Closes idle sockets now and the others as their requests end; resolves once all are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    const closing: Promise<unknown>[] = [];
    for (const agent of this.#own) {
      // With keepAlive off, the agent destroys a socket instead of pooling it when its request ends.
      (agent as HttpAgent & { keepAlive: boolean }).keepAlive = false;
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
      for (const sockets of Object.values(agent.sockets)) {
        for (const socket of sockets ?? []) {
          if (!socket.destroyed) closing.push(new Promise((r) => socket.once('close', r)));
        }
      }
    }
    await Promise.all(closing);
  }
}

function validate(options: TransportOptions): void {
  for (const key of [
    'headersTimeoutMs',
    'bodyTimeoutMs',
    'connectTimeoutMs',
    'keepAliveTimeoutMs',
    'maxBufferedBytes',
    'maxRedirects',
  ] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new TypeError(`createTransportFetch: ${key} must be a whole number ≥ 0, got ${value}`);
    }
  }
  if (
    options.connections !== undefined &&
    !(Number.isInteger(options.connections) && options.connections > 0)
  ) {
    throw new TypeError(
      `createTransportFetch: connections must be a whole number > 0, got ${options.connections}`,
    );
  }
}

/** The URL a response redirects to, when it is a redirect with a Location; else undefined. */
function redirectTarget(response: Response, parts: RequestParts): URL | undefined {
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.get('location');
  if (location === null) return undefined;
  try {
    return new URL(location, parts.url);
  } catch {
    throw new TypeError('fetch failed: the redirect location is not a valid URL');
  }
}

/**
 * The next hop of a followed redirect. Only same-origin redirects are
 * followed: the request carries API keys in its headers, and a redirect to
 * another host must never receive them (fetch would send all but
 * `Authorization` on; an `x-api-key` would leak).
 */
function redirected(parts: RequestParts, status: number, to: URL): RequestParts {
  if (to.origin !== parts.url.origin) {
    throw new TypeError('fetch failed: a redirect to another origin is refused');
  }
  // 303, and 301/302 after a POST, turn into a GET without a body (as fetch does).
  if (status === 303 || ((status === 301 || status === 302) && parts.method === 'POST')) {
    const headers = { ...parts.headers };
    for (const name of Object.keys(headers)) {
      if (name.startsWith('content-')) delete headers[name];
    }
    return {
      ...parts,
      url: to,
      method: parts.method === 'HEAD' ? 'HEAD' : 'GET',
      headers,
      body: undefined,
    };
  }
  if (!parts.replayable) {
    throw new TypeError('fetch failed: cannot follow a redirect with a streamed request body');
  }
  return { ...parts, url: to };
}
