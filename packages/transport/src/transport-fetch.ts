import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Dispatcher, Agent as UndiciAgent } from 'undici';
import { BufferedResponse } from './buffered-response.js';
import { decodedBody } from './content-decoding.js';
import { type RequestParts, requestParts } from './request-parts.js';
import { webStreamOf } from './response-stream.js';

export interface TransportOptions {
  /**
   * Longest wait for a response's headers, in ms; 0 (the default) waits as
   * long as the call's own signal allows. A reasoning model can think for
   * many minutes before its first byte, and undici's 300 s default would cut
   * such a call short; the adapters give every call its own deadline.
   */
  readonly headersTimeoutMs?: number;
  /** Longest silence between two body chunks, in ms (default 300 000, undici's); 0 disables it. */
  readonly bodyTimeoutMs?: number;
  /** Longest wait for a TCP (and TLS) connection, in ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** How long an idle pooled connection is kept, in ms (default 30 000). */
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
  /** A dispatcher to send through instead of the transport's own agent (tests, proxies). */
  readonly dispatcher?: Dispatcher;
}

/** `fetch`, plus `close()` for the connections its own agent holds. */
export type TransportFetch = typeof globalThis.fetch & {
  /** Closes the pooled connections once their requests have ended. */
  close(): Promise<void>;
};

// undici's index loads all of undici (fetch, WebSocket, EventSource, cookies,
// caches, mock agents): ~8 MB more RSS and ~70 ms more startup than the two
// modules the transport sends with. undici has no `exports` map, so its
// modules can be required one by one; `request` is what the index would put
// on `Dispatcher.prototype`, called on the dispatcher instead.
const requireUndici = createRequire(import.meta.url);
const Agent = requireUndici('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
const dispatchRequest = requireUndici('undici/lib/api/api-request.js') as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Statuses whose responses carry no body (fetch's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Creates a `fetch` that sends through an undici `Agent` of its own with
 * `dispatcher.request()`, instead of undici's full fetch machinery:
 *
 * - one pooled keep-alive agent per transport;
 * - a JSON (or any short) response is read whole before the promise resolves,
 *   so an SDK's "timeout until the response arrives" covers its body too, and
 *   the `Response` is built from bytes rather than piped through web streams;
 * - event streams and NDJSON stream through, with back-pressure;
 * - the signal is handed to undici as it is: no linked controllers;
 * - errors look like fetch's: an abort rejects with the signal's reason, a
 *   network failure with `TypeError('fetch failed', { cause })`, and neither
 *   carries the URL or a header (so no key in a query string or header leaks).
 *
 * It returns real `Response` objects, so SDKs and callers use it as fetch.
 */
export function createTransportFetch(options: TransportOptions = {}): TransportFetch {
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  validate(options);
  const own = options.dispatcher
    ? undefined
    : new Agent({
        headersTimeout: options.headersTimeoutMs ?? 0,
        bodyTimeout: options.bodyTimeoutMs ?? 300_000,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        ...(options.connections === undefined ? {} : { connections: options.connections }),
      });
  const dispatcher: Dispatcher = options.dispatcher ?? (own as UndiciAgent);

  const transportFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    let parts = await requestParts(input, init);
    for (let hop = 0; ; hop++) {
      const response = await send(dispatcher, parts, maxBuffered, hop > 0);
      const location = redirectTarget(response, parts);
      if (location === undefined) return response;
      if (parts.redirect === 'manual') return response;
      await response.body?.cancel();
      if (parts.redirect === 'error') throw new TypeError('fetch failed: the response redirects');
      if (hop >= maxRedirects) throw new TypeError('fetch failed: too many redirects');
      parts = redirected(parts, response.status, location);
    }
  };
  return Object.assign(transportFetch, {
    close: async () => {
      await own?.close();
    },
  }) as TransportFetch;
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

async function send(
  dispatcher: Dispatcher,
  parts: RequestParts,
  maxBuffered: number,
  redirected: boolean,
): Promise<Response> {
  const signal = parts.signal;
  if (signal?.aborted) throw abortReason(signal);
  let data: Dispatcher.ResponseData;
  try {
    data = await dispatchRequest.call(dispatcher, {
      origin: parts.url.origin,
      path: parts.url.pathname + parts.url.search,
      method: parts.method as Dispatcher.HttpMethod,
      headers: parts.headers,
      body: parts.body ?? null,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    throw fetchError(error, signal);
  }
  const { statusCode, headers } = data;
  const init: ResponseInit = {
    status: statusCode,
    statusText: data.statusText ?? '',
    headers: responseHeaders(headers),
  };
  if (parts.method === 'HEAD' || NULL_BODY_STATUSES.has(statusCode)) {
    data.body.resume();
    return located(new Response(null, init), parts, redirected);
  }
  const encoding = headers['content-encoding'];
  const body = encoding === undefined ? data.body : decodedBody(data.body, encoding);
  if (!shouldBuffer(headers, maxBuffered)) {
    const stream = webStreamOf(body, (error) => bodyError(error, signal));
    return located(new Response(stream, init), parts, redirected);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes =
      body === data.body ? new Uint8Array(await data.body.arrayBuffer()) : await readAll(body);
  } catch (error) {
    throw fetchError(error, signal);
  }
  return new BufferedResponse(bytes, init, parts.url.href, redirected);
}

/** fetch's Response knows where it came from (SDKs log it) and whether it was redirected. */
function located(response: Response, parts: RequestParts, redirected: boolean): Response {
  Object.defineProperty(response, 'url', { value: parts.url.href });
  if (redirected) Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

/** All of a (decoded) body's bytes. */
async function readAll(body: Readable): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength) as Uint8Array<ArrayBuffer>;
}

function shouldBuffer(headers: IncomingHttpHeaders, maxBuffered: number): boolean {
  const type = String(headers['content-type'] ?? '').toLowerCase();
  if (type.includes('event-stream') || type.includes('ndjson')) return false;
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) <= maxBuffered;
  return type.includes('json');
}

function responseHeaders(headers: IncomingHttpHeaders): HeadersInit {
  const pairs: [string, string][] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([name, item]);
    else pairs.push([name, value]);
  }
  return pairs;
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

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** A failed request as fetch reports it: the abort reason, or a TypeError caused by the network error. */
function fetchError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal);
  return new TypeError('fetch failed', { cause: error });
}

/** A failed body read as fetch reports it: the abort reason, or TypeError('terminated'). */
function bodyError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal);
  return new TypeError('terminated', { cause: error });
}
