import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Starts an SSE response on a hijacked reply, keeping headers set earlier
 * (request id, CORS). The head is not flushed on its own: it leaves with the
 * first event (the caller has that event in hand — routes start a stream only
 * after the engine's first chunk), so the client gets head and first event in
 * one packet instead of two (time to first byte, issue 5).
 */
export function startSse(reply: FastifyReply, extra: Record<string, string> = {}): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.getHeaders()))
    if (v !== undefined) headers[k] = String(v);
  res.writeHead(200, {
    ...headers,
    ...extra,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return res;
}

/**
 * Writes, waiting for the socket to drain when it is full (real backpressure,
 * no buffering). Returns `false` once the client is gone; a plain boolean when
 * no waiting was needed, so the hot path allocates no promise. (Node corks the
 * socket for the rest of the tick on a response's write: events written in one
 * tick, like chunks from one provider read, already leave in one socket write.)
 */
export function write(res: ServerResponse, text: string): boolean | Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(text)) return true;
  return drained(res);
}

function drained(res: ServerResponse): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve(!res.destroyed);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * One SSE response's events, written with as few socket writes as the
 * stream allows, without holding anything back:
 *
 * - the first event leaves at once, with the head (time to first byte),
 *   even when more events follow in the same tick;
 * - later events handed over within one tick (a provider read often carries
 *   dozens) are joined and leave as one chunk of the chunked body when the
 *   tick ends — the moment Node's own per-tick cork would have sent them —
 *   instead of one `res.write` each (four socket writes apiece: size, CRLF,
 *   data, CRLF); past the socket's high-water mark they are written at once;
 * - back-pressure: once a write finds the socket full, `send` returns a
 *   promise that settles on drain (true) or close (false), and the caller
 *   waits before producing more.
 */
export class SseWriter {
  readonly #res: ServerResponse;
  #pending = '';
  #queued = false;
  #sentFirst = false;
  #full: Promise<boolean> | undefined;
  readonly #endOfTick = (): void => {
    this.#queued = false;
    this.flush();
  };

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** Queues `text`: true, false once the client is gone, or a promise while the socket is full. */
  send(text: string): boolean | Promise<boolean> {
    const res = this.#res;
    if (res.destroyed || res.writableEnded) return false;
    if (!this.#sentFirst) {
      this.#sentFirst = true;
      this.#writeNow(text);
      return this.#full ?? true;
    }
    this.#pending = this.#pending === '' ? text : this.#pending + text;
    // A source that is always ready (a cached answer, an in-process model)
    // never lets the tick end: past the socket's high-water mark, write now.
    if (this.#pending.length >= this.#res.writableHighWaterMark) this.flush();
    else if (!this.#queued) {
      this.#queued = true;
      process.nextTick(this.#endOfTick);
    }
    return this.#full ?? true;
  }

  /** Writes what is queued, then ends the response. */
  end(): void {
    const res = this.#res;
    const text = this.#pending;
    this.#pending = '';
    if (res.destroyed || res.writableEnded) return;
    if (text === '') res.end();
    else res.end(text);
  }

  /** Writes what is queued now. */
  flush(): void {
    const text = this.#pending;
    this.#pending = '';
    const res = this.#res;
    if (text === '' || res.destroyed || res.writableEnded) return;
    if (!res.write(text)) this.#waitForDrain();
  }

  #writeNow(text: string): void {
    const res = this.#res;
    const socket = res.socket;
    const corked = socket?.writableCorked ?? 0;
    const ok = res.write(text);
    // res.write corks the socket until the tick ends; undo just that cork, so
    // the head and this event leave now, ahead of the rest of the tick's work.
    if (socket && socket.writableCorked > corked) socket.uncork();
    if (!ok) this.#waitForDrain();
  }

  #waitForDrain(): void {
    this.#full ??= drained(this.#res).then((open) => {
      this.#full = undefined;
      return open;
    });
  }
}

export const sseData = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
export const sseEvent = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
