import { AbortedError, TimeoutError } from '../errors/provider-errors.js';

/**
 * The clock of one request: a total deadline across every attempt, and the
 * caller's signal. Each attempt gets a signal that fires at the earlier of
 * its own timeout, the deadline, or the caller's cancellation.
 */
export class Deadline {
  readonly at: number;
  constructor(
    private readonly now: () => number,
    totalMs: number,
    readonly callerSignal: AbortSignal | undefined,
  ) {
    this.at = now() + totalMs;
  }

  remaining(): number {
    return Math.max(0, this.at - this.now());
  }

  get cancelled(): boolean {
    return this.callerSignal?.aborted === true;
  }

  /** Throws when the caller cancelled or the deadline passed. */
  check(): void {
    if (this.cancelled)
      throw new AbortedError('The request was cancelled by the caller.', this.callerSignal?.reason);
    if (this.remaining() <= 0) {
      throw new TimeoutError('The request deadline passed before a model answered.', {
        provider: 'orchestrator',
        possiblyBilled: false,
      });
    }
  }

  /**
   * A controller for one attempt: aborted by the caller, by the deadline or
   * by `attemptMs`. `dispose()` clears its timer.
   */
  attempt(attemptMs: number | undefined): {
    signal: AbortSignal;
    abort: (reason: unknown) => void;
    dispose: () => void;
    timedOut: () => boolean;
  } {
    const controller = new AbortController();
    const limit = Math.min(this.remaining(), attemptMs ?? Number.POSITIVE_INFINITY);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
    }, limit);
    const onCancel = () =>
      controller.abort(this.callerSignal?.reason ?? new DOMException('Cancelled', 'AbortError'));
    this.callerSignal?.addEventListener('abort', onCancel, { once: true });
    if (this.callerSignal?.aborted) onCancel();
    return {
      signal: controller.signal,
      abort: (reason) => controller.abort(reason),
      dispose: () => {
        clearTimeout(timer);
        this.callerSignal?.removeEventListener('abort', onCancel);
      },
      timedOut: () => timedOut,
    };
  }
}

/** Waits `ms`, or less when the caller cancels. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
