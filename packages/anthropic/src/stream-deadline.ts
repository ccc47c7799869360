import type { CallScope } from '@orchestrator/core';

/** A signal that never aborts: what the deadline reports while the call is on time. */
const ON_TIME = new AbortController().signal;

/**
 * The deadline of a streamed call that has no caller's signal, kept without
 * handing the SDK a signal. Until the response headers arrive, the SDK's own
 * per-request timer (given the same timeout) bounds the call; once the SDK's
 * stream exists, `attach` gives this deadline the stream's controller, and
 * when the time is up the deadline aborts that controller, which ends the
 * iteration and closes the upstream connection. This spares the SDK the
 * bookkeeping it does per request for a caller's signal (a listener, a
 * WeakMap entry and a FinalizationRegistry registration).
 *
 * `signal` tells only this deadline's own expiry (an aborted signal with a
 * `TimeoutError` reason, as core's `callScope` gives): the SDK aborts its
 * controller itself when a stream fails, which must not read as a timeout or
 * a cancellation.
 */
export class StreamDeadline implements CallScope {
  #controller: AbortController | undefined;
  #expired: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(readonly timeoutMs: number) {
    this.#timer = setTimeout(() => {
      this.#expired = AbortSignal.abort(
        new DOMException(`The call timed out after ${timeoutMs} ms.`, 'TimeoutError'),
      );
      // Before the stream exists, the SDK's own timer (same length) ends the request.
      this.#controller?.abort(this.#expired.reason);
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.#expired ?? ON_TIME;
  }

  /** Takes over the SDK stream's controller (the object `messages.create` resolves to). */
  attach(stream: unknown): void {
    const controller = (stream as { controller?: unknown } | null)?.controller;
    if (!(controller instanceof AbortController)) return;
    this.#controller = controller;
    if (this.#expired) controller.abort(this.#expired.reason);
  }

  timedOut(): boolean {
    return this.#expired !== undefined;
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
