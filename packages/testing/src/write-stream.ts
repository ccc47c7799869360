import type { ServerResponse } from 'node:http';
import type { FaultScript } from './fault-script.js';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/** Responses a script cut on purpose (`cutAfterChunks`): their close is the server's doing. */
const serverCuts = new WeakSet<ServerResponse>();

/** True when the server cut this response on a script's orders, so the client did not close it. */
export function cutByServer(res: ServerResponse): boolean {
  return serverCuts.has(res);
}

/** An in-band error event that ends a 200 stream after `after` of its events. */
export interface StreamErrorEvent {
  readonly after: number;
  /** The encoded error event (an SSE `error` event, an NDJSON `{"error"}` line…). */
  readonly event: string;
}

export interface StreamBodyOptions {
  readonly contentType: string;
  /** What a keep-alive looks like in this format (`: keep-alive\n\n` for SSE). */
  readonly keepAlive: string;
  /** What a malformed event looks like in this format. */
  readonly malformed: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Delay between events when the script sets none (e.g. from tokens per second). */
  readonly defaultChunkDelayMs?: number;
  /** End the stream with this error event instead of its remaining events. */
  readonly errorEvent?: StreamErrorEvent | undefined;
}

/**
 * Writes a stream of pre-encoded events, applying the script's faults: delays,
 * keep-alives, a malformed event, a cut connection, or byte-level splitting of
 * the whole body (each piece its own write, a moment apart, so the client
 * receives them as separate reads).
 */
export async function writeStreamBody(
  res: ServerResponse,
  events: readonly string[],
  script: FaultScript | undefined,
  options: StreamBodyOptions,
): Promise<void> {
  if (script?.delayMs) await sleep(script.delayMs);
  res.writeHead(200, {
    'content-type': options.contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...options.headers,
    ...script?.headers,
  });
  res.flushHeaders();
  const failed = options.errorEvent
    ? [...events.slice(0, options.errorEvent.after), options.errorEvent.event]
    : events;
  const encoded = failed.map((event, i) => (i === script?.malformedAt ? options.malformed : event));

  if (script?.splitAt || script?.chunkBytes) {
    const bytes = Buffer.from(encoded.join(''), 'utf8');
    const cuts = script.splitAt
      ? [...script.splitAt].filter((n) => n > 0 && n < bytes.length).sort((a, b) => a - b)
      : range(script.chunkBytes!, bytes.length, script.chunkBytes!);
    let start = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (res.destroyed) return;
      res.write(bytes.subarray(start, cut));
      start = cut;
      await sleep(1);
    }
    res.end();
    return;
  }

  const gap = script?.chunkDelayMs ?? options.defaultChunkDelayMs ?? 0;
  for (let i = 0; i < encoded.length; i++) {
    if (res.destroyed) return;
    if (script?.cutAfterChunks !== undefined && i >= script.cutAfterChunks) {
      // Let the written events leave before the connection is torn down.
      await sleep(5);
      serverCuts.add(res);
      res.destroy();
      return;
    }
    if (script?.keepAlive) res.write(options.keepAlive);
    res.write(encoded[i]!);
    if (gap > 0 && i < encoded.length - 1) await sleep(gap);
  }
  res.end();
}

function range(step: number, end: number, start: number): number[] {
  const out: number[] = [];
  for (let n = start; n < end; n += step) out.push(n);
  return out;
}

/** Sends a JSON body after the script's delay; `hang` scripts never answer. */
export async function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  script?: FaultScript,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  if (script?.hang) return hang(res);
  if (script?.delayMs) await sleep(script.delayMs);
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type':
      typeof body === 'string' && !looksLikeJson(body) ? 'text/html' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
    ...script?.headers,
  });
  res.end(text);
}

/**
 * Answers as a script says when it stands in for the route's answer: no
 * answer at all (`hang`), an error status (the script's `body`, else
 * `errorBody(status)`), or a raw `body` with its status (default 200).
 * Returns false when the script leaves the answer to the route.
 */
export async function sendScriptedAnswer(
  res: ServerResponse,
  script: FaultScript | undefined,
  errorBody: (status: number) => unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<boolean> {
  if (!script) return false;
  if (script.hang) {
    await hang(res);
    return true;
  }
  if (script.status !== undefined && script.status >= 400) {
    await sendJson(res, script.status, script.body ?? errorBody(script.status), script, headers);
    return true;
  }
  if (script.body !== undefined) {
    await sendJson(res, script.status ?? 200, script.body, script, headers);
    return true;
  }
  return false;
}

/** Holds the response open until the client goes away. */
export function hang(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    res.on('close', () => resolve());
  });
}

function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

/** Line endings a fake can write; `\r\n` is legal SSE and NDJSON and exercises CRLF parsing. */
export type LineEnding = '\n' | '\r\n';

/** Encodes one SSE event (`event:` line only when named), lines ended with `eol`. */
export function sseEvent(data: unknown, event?: string, eol: LineEnding = '\n'): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}${eol}` : ''}data: ${payload}${eol}${eol}`;
}

/** Encodes one NDJSON line. */
export function ndjsonLine(data: unknown, eol: LineEnding = '\n'): string {
  return `${JSON.stringify(data)}${eol}`;
}
