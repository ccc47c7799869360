import {
  type ClientRequest,
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { BufferedResponse } from './buffered-response.js';
import { decodedBody } from './content-decoding.js';
import type { RequestParts } from './request-parts.js';
import { webStreamOf } from './response-stream.js';

/** The per-request limits of a transport, in ms (0: off) and bytes. */
export interface ExchangeLimits {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
  readonly maxBuffered: number;
}

/** Statuses whose responses carry no body (fetch's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Methods fetch sends `Content-Length: 0` for when they have no body. */
const EMPTY_BODY_LENGTH_METHODS = new Set(['POST', 'PUT', 'PATCH']);

// Where the request stands, for the socket's inactivity timer: one timer per
// socket (`socket.setTimeout`, refreshed by every read and write, no timer
// object per chunk) whose length and meaning change with the phase.
const CONNECT = 0;
const HEADERS = 1;
const BODY = 2;
const DONE = 3;
type Phase = typeof CONNECT | typeof HEADERS | typeof BODY | typeof DONE;

/**
 * Sends one request over node:http (or node:https) with `agent` and resolves
 * with fetch's `Response`: a `BufferedResponse` for a short or JSON body,
 * read whole first; a streamed one for event streams, NDJSON and large
 * bodies. Rejects as fetch does: the signal's reason on an abort, otherwise
 * `TypeError('fetch failed', { cause })`.
 */
export function exchange(
  parts: RequestParts,
  agent: HttpAgent,
  limits: ExchangeLimits,
  redirected: boolean,
): Promise<Response> {
  const signal = parts.signal;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<Response>((resolve, reject) => {
    new Exchange(parts, limits, redirected, resolve, reject).start(agent);
  });
}

class Exchange {
  #phase: Phase = CONNECT;
  /** The promise is resolved or rejected (a streamed body may still be flowing). */
  #settled = false;
  /** What ended the exchange on our side (a timeout, an abort, a network error), first one wins. */
  #failure: unknown;
  #req: ClientRequest | undefined;
  #res: IncomingMessage | undefined;
  #socket: Socket | undefined;

  constructor(
    private readonly parts: RequestParts,
    private readonly limits: ExchangeLimits,
    private readonly redirected: boolean,
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(agent: HttpAgent): void {
    const { url, method, body } = this.parts;
    let req: ClientRequest;
    try {
      req = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
        agent,
        // URL keeps an IPv6 host in brackets; node:http wants the bare address.
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port === '' ? undefined : url.port,
        path: url.pathname + url.search,
        method,
        headers: this.parts.headers,
      });
      // fetch sends the length of a body it knows, whatever the caller said.
      if (typeof body === 'string') req.setHeader('content-length', Buffer.byteLength(body));
      else if (body instanceof Uint8Array) req.setHeader('content-length', body.byteLength);
      else if (body === undefined && EMPTY_BODY_LENGTH_METHODS.has(method)) {
        req.setHeader('content-length', 0);
      }
    } catch (error) {
      // An invalid header name or value (node:http names the header, never its value).
      this.reject(new TypeError('fetch failed', { cause: error }));
      return;
    }
    this.#req = req;
    req.on('socket', this.#onSocket);
    req.on('response', this.#onResponse);
    req.on('error', this.#fail);
    this.parts.signal?.addEventListener('abort', this.#onAbort);
    if (body === undefined) req.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else {
      pipeline(body, req, (error) => {
        if (error) this.#fail(error);
      });
    }
  }

  readonly #onSocket = (socket: Socket): void => {
    if (this.#phase === DONE) return;
    this.#socket = socket;
    socket.on('timeout', this.#onTimeout);
    if (socket.connecting) {
      // A new connection: the connect timer runs until TCP (and TLS) is up.
      socket.setTimeout(this.limits.connectMs);
      socket.once('encrypted' in socket ? 'secureConnect' : 'connect', this.#onConnected);
    } else {
      this.#onConnected();
    }
  };

  readonly #onConnected = (): void => {
    if (this.#phase !== CONNECT) return;
    this.#phase = HEADERS;
    this.#socket?.setTimeout(this.limits.headersMs);
  };

  readonly #onTimeout = (): void => {
    const phase = this.#phase;
    if (phase === DONE) return;
    if (phase === BODY) {
      // A consumer that holds the body back keeps the socket quiet; that silence is
      // not the server's (undici's body timer does not run while paused either).
      if (this.#res?.isPaused()) {
        this.#socket?.setTimeout(this.limits.bodyMs);
        return;
      }
      this.#fail(timeoutError('BodyTimeoutError', 'UND_ERR_BODY_TIMEOUT', this.limits.bodyMs));
    } else if (phase === HEADERS) {
      this.#fail(
        timeoutError('HeadersTimeoutError', 'UND_ERR_HEADERS_TIMEOUT', this.limits.headersMs),
      );
    } else {
      this.#fail(
        timeoutError('ConnectTimeoutError', 'UND_ERR_CONNECT_TIMEOUT', this.limits.connectMs),
      );
    }
  };

  readonly #onAbort = (): void => {
    this.#fail(abortReason(this.parts.signal as AbortSignal));
  };

  /**
   * Ends the exchange on an error: rejects the promise at once if it is
   * pending (a request still queued for a pooled connection would otherwise
   * wait for one before it saw its own destruction) and destroys the request
   * or the response, which closes the connection, so the server sees the
   * request end. A streamed body's reader then gets the error.
   */
  readonly #fail = (error: unknown): void => {
    this.#failure ??= error;
    const failure = this.#failure;
    if (!this.#settled) {
      this.#settled = true;
      this.reject(fetchError(failure, this.parts.signal));
    }
    this.#finish();
    if (this.#res !== undefined) this.#res.destroy(failure as Error);
    else this.#req?.destroy(failure as Error);
  };

  /** No timer, abort or error concerns this exchange any more; the socket may serve another. */
  #finish(): void {
    if (this.#phase === DONE) return;
    this.#phase = DONE;
    this.#socket?.removeListener('timeout', this.#onTimeout);
    this.parts.signal?.removeEventListener('abort', this.#onAbort);
  }

  readonly #onResponse = (res: IncomingMessage): void => {
    if (this.#settled) {
      res.destroy();
      return;
    }
    this.#res = res;
    this.#phase = BODY;
    this.#socket?.setTimeout(this.limits.bodyMs);
    // 'end' runs node:http's own listener first (it hands the socket back to the
    // pool), then this one, before anything queued can take the socket over.
    res.once('end', () => this.#finish());
    res.once('close', () => {
      if (!res.complete) this.#fail(this.#failure ?? prematureClose());
      this.#finish();
    });
    const status = res.statusCode ?? 0;
    const init: ResponseInit = {
      status,
      statusText: res.statusMessage ?? '',
      headers: headerPairs(res.rawHeaders),
    };
    try {
      if (this.parts.method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
        res.resume();
        this.#settle(located(new Response(null, init), this.parts.url.href, this.redirected));
        return;
      }
      const headers = res.headers;
      const encoding = headers['content-encoding'];
      const body = encoding === undefined ? res : decodedBody(res, encoding);
      if (body !== res) body.on('error', this.#fail);
      if (shouldBuffer(headers, this.limits.maxBuffered)) {
        this.#buffer(body, init);
      } else {
        const signal = this.parts.signal;
        const stream = webStreamOf(body, (error) => bodyError(this.#failure ?? error, signal));
        this.#settle(located(new Response(stream, init), this.parts.url.href, this.redirected));
      }
    } catch (error) {
      // A status the platform's Response refuses (outside 200–599).
      this.#fail(error);
    }
  };

  #settle(response: Response): void {
    this.#settled = true;
    this.resolve(response);
  }

  /** Reads the whole body, then resolves with it as a `BufferedResponse`. */
  #buffer(body: Readable, init: ResponseInit): void {
    const chunks: Buffer[] = [];
    if (body === this.#res) body.on('error', this.#fail);
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.once('end', () => {
      if (this.#settled) return;
      const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const bytes = new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
      this.#settle(
        new BufferedResponse(
          bytes as Uint8Array<ArrayBuffer>,
          init,
          this.parts.url.href,
          this.redirected,
        ),
      );
    });
  }
}

/** Response header pairs as they came (repeated names stay repeated; `Headers` joins them). */
function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = new Array(raw.length >> 1);
  for (let i = 0, j = 0; i < raw.length; i += 2, j++) {
    pairs[j] = [raw[i] as string, raw[i + 1] as string];
  }
  return pairs;
}

function shouldBuffer(headers: IncomingMessage['headers'], maxBuffered: number): boolean {
  const type = String(headers['content-type'] ?? '').toLowerCase();
  if (type.includes('event-stream') || type.includes('ndjson')) return false;
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) <= maxBuffered;
  return type.includes('json');
}

/** fetch's Response knows where it came from (SDKs log it) and whether it was redirected. */
function located(response: Response, url: string, redirected: boolean): Response {
  Object.defineProperty(response, 'url', { value: url });
  if (redirected) Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

/**
 * A timeout as undici reports it, `code` included: Node's own fetch is undici,
 * so `UND_ERR_HEADERS_TIMEOUT`, `UND_ERR_BODY_TIMEOUT` and
 * `UND_ERR_CONNECT_TIMEOUT` are the codes fetch failures carry in Node, and
 * the adapters (openai, ollama, google) classify them as retryable network
 * failures. The message names neither the host nor the URL.
 */
function timeoutError(name: string, code: string, ms: number): Error {
  const what =
    code === 'UND_ERR_CONNECT_TIMEOUT'
      ? 'no connection'
      : code === 'UND_ERR_HEADERS_TIMEOUT'
        ? 'no response headers'
        : 'no response body data';
  const error = new Error(`${what} within ${ms} ms`);
  error.name = name;
  return Object.assign(error, { code });
}

function prematureClose(): Error {
  return Object.assign(new Error('the connection closed before the response ended'), {
    code: 'ECONNRESET',
  });
}

export function abortReason(signal: AbortSignal): unknown {
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
