import type { CallOptions } from '@orchestrator/core';

/**
 * One AbortSignal per call that merges the caller's signal, the call's
 * timeout and an explicit `abort()` (a stream consumer that stopped
 * reading). Like core's `callSignal`, a timeout aborts with a DOMException
 * named `TimeoutError`, so `abortedByTimeout` tells it from a cancellation.
 * Unlike `AbortSignal.timeout`/`AbortSignal.any`, it costs one controller
 * and one timer, and `dispose()` clears the timer and the listener at once
 * instead of leaving them until the timeout would have fired.
 */
export class CallSignalScope {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly caller: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(options: CallOptions | undefined, defaultTimeoutMs: number | undefined) {
    this.signal = this.controller.signal;
    const caller = options?.signal;
    const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
    if (caller?.aborted) {
      this.controller.abort(caller.reason);
      return;
    }
    if (caller) {
      this.caller = caller;
      this.onCallerAbort = () => this.controller.abort(caller.reason);
      caller.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.controller.abort(
          new DOMException(`The call timed out after ${timeoutMs} ms.`, 'TimeoutError'),
        );
      }, timeoutMs);
    }
  }

  abort(): void {
    this.controller.abort();
  }

  /** Ends the scope: clears the timer and stops listening to the caller. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onCallerAbort) this.caller?.removeEventListener('abort', this.onCallerAbort);
  }
}
