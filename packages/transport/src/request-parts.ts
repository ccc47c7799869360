import { Readable } from 'node:stream';

/** What one dispatch needs from a fetch call's input and init, normalized once. */
export interface RequestParts {
  readonly url: URL;
  readonly method: string;
  /** Lower-case names; values joined as `Headers` joins them. */
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | Readable | undefined;
  /** True when the body can be sent again (a redirect that keeps the body needs it). */
  readonly replayable: boolean;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect;
}

/** Request methods fetch normalizes to upper case (any other, `patch` included, is sent as given). */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * Reads a fetch call's arguments into plain parts. The common SDK call (a
 * string URL, a record or `Headers` of headers and a string body) allocates
 * one object for the headers and nothing else; rarer bodies (FormData, Blob,
 * URLSearchParams, streams) are encoded the way fetch encodes them.
 */
export async function requestParts(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<RequestParts> {
  if (typeof input !== 'string' && !(input instanceof URL) && isRequest(input)) {
    return requestParts(input.url, await mergeRequest(input, init));
  }
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new TypeError('fetch: the URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`fetch: unsupported protocol ${url.protocol} (only http: and https:)`);
  }
  if (url.username || url.password) {
    throw new TypeError('fetch: a URL with credentials in it is refused');
  }
  const method = normalizeMethod(init?.method);
  const headers = headerRecord(init?.headers);
  dropHopByHop(headers);
  const { body, replayable } = await encodeBody(init?.body, headers);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`fetch: a ${method} request cannot have a body`);
  }
  return {
    url,
    method,
    headers,
    body,
    replayable,
    signal: init?.signal ?? undefined,
    redirect: init?.redirect ?? 'follow',
  };
}

function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`fetch: method ${method} is forbidden`);
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request;
}

/** A `Request` input with init's fields over its own (as `fetch(request, init)` does). */
async function mergeRequest(request: Request, init: RequestInit | undefined): Promise<RequestInit> {
  const body =
    init?.body !== undefined || request.body === null
      ? init?.body
      : new Uint8Array(await request.clone().arrayBuffer());
  return {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    redirect: request.redirect,
    ...init,
    ...(body === undefined || body === null ? {} : { body }),
  };
}

/** Any `HeadersInit` as a plain record with lower-case names. */
export function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined || init === null) return out;
  if (typeof (init as Headers).forEach === 'function' && !Array.isArray(init)) {
    // Headers: names come lower-cased and values already joined.
    for (const [name, value] of init as Headers) out[name] = value;
    return out;
  }
  if (Array.isArray(init)) {
    for (const pair of init) {
      if (pair.length !== 2) throw new TypeError('fetch: a header pair must have two items');
      append(out, String(pair[0]), String(pair[1]));
    }
    return out;
  }
  for (const name of Object.keys(init)) {
    const value = (init as Record<string, string | undefined>)[name];
    if (value !== undefined) append(out, name, String(value));
  }
  return out;
}

/**
 * Connection management is the pool's: these headers are the transport's
 * business (a caller's `Connection: close` would defeat the pool, its
 * `Transfer-Encoding` contradict the length sent), so a caller's are dropped,
 * as fetch drops them.
 */
function dropHopByHop(headers: Record<string, string>): void {
  if ('connection' in headers) delete headers.connection;
  if ('keep-alive' in headers) delete headers['keep-alive'];
  if ('transfer-encoding' in headers) delete headers['transfer-encoding'];
  if ('upgrade' in headers) delete headers.upgrade;
}

function append(out: Record<string, string>, name: string, value: string): void {
  const key = name.toLowerCase();
  const previous = out[key];
  out[key] = previous === undefined ? value : `${previous}, ${value}`;
}

async function encodeBody(
  body: BodyInit | null | undefined,
  headers: Record<string, string>,
): Promise<{ body: RequestParts['body']; replayable: boolean }> {
  if (body === undefined || body === null) return { body: undefined, replayable: true };
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return { body, replayable: true };
  }
  if (body instanceof Uint8Array) return { body, replayable: true };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body), replayable: true };
  if (ArrayBuffer.isView(body)) {
    return {
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      replayable: true,
    };
  }
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return { body: body.toString(), replayable: true };
  }
  if (body instanceof ReadableStream) {
    return {
      body: Readable.fromWeb(body as import('node:stream/web').ReadableStream),
      replayable: false,
    };
  }
  if (typeof body === 'object' && Symbol.asyncIterator in body) {
    return { body: Readable.from(body as AsyncIterable<Uint8Array>), replayable: false };
  }
  // FormData and Blob: let the platform encode them (multipart boundary, type), then send the bytes.
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type !== null) headers['content-type'] ??= type;
  return { body: new Uint8Array(await encoded.arrayBuffer()), replayable: true };
}
