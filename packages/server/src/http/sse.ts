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

export const sseData = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
export const sseEvent = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
