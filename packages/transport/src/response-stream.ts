import type { Readable } from 'node:stream';

/**
 * A web `ReadableStream` over a Node body stream, with back-pressure (the
 * socket is paused while the consumer lags) and cancellation: `cancel()`
 * destroys the body, which makes node:http destroy the unfinished response's
 * connection, so the upstream server sees the request end.
 *
 * `mapError` turns a read failure into what the reader should see (the
 * caller's abort reason, or fetch's "terminated" network error).
 */
export function webStreamOf(
  body: Readable,
  mapError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.on('data', (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) body.pause();
        });
        body.once('end', () => {
          if (done) return;
          done = true;
          controller.close();
        });
        body.once('error', (error) => {
          if (done) return;
          done = true;
          controller.error(mapError(error));
        });
        body.once('close', () => {
          // Destroyed without an error or an end: the read must not hang.
          if (done) return;
          done = true;
          controller.error(mapError(new Error('the response body was closed before its end')));
        });
      },
      pull() {
        if (body.isPaused()) body.resume();
      },
      cancel() {
        done = true;
        body.destroy();
      },
    },
    // A few chunks of read-ahead: enough to keep the socket busy, small enough to push back.
    { highWaterMark: 16 },
  );
}
