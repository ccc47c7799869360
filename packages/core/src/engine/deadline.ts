import type { OrchestratorError } from '../errors/orchestrator-error.js';
import { AbortedError, TimeoutError } from '../errors/provider-errors.js';
import type { CallOptions } from '../types/chat.js';
import { markCallOwnedSignal } from '../util/call-signal.js';

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
    /** When the request started, if the caller has just read the clock. */
    start: number = now(),
  ) {
    this.at = start + totalMs;
  }

  /** Time left; `now` when the caller has just read the clock. */
  remaining(now: number = this.now()): number {
    return Math.max(0, this.at - now);
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
   * A scope for one attempt: aborted by the caller, by the deadline or by
   * `attemptMs`. `dispose()` clears its timer.
   */
  attempt(attemptMs: number | undefined, now?: number): AttemptScope {
    return new AttemptScope(
      Math.min(this.remaining(now), attemptMs ?? Number.POSITIVE_INFINITY),
      this.callerSignal,
    );
  }
}

/**
 * One attempt's cancellation: a timer, the caller's signal, and an
 * AbortSignal for the model. Built for the per-request hot path: the
 * AbortController is only created when a model reads `options.signal` (an
 * in-process model never does), and `race` rejects directly when the
 * attempt is aborted instead of listening on the signal (Node's
 * EventTarget listeners and AbortController cost microseconds per call).
 */
export class AttemptScope {
  /** Call options for the model: `signal` is created on first read. */
  readonly options: CallOptions;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  #aborted = false;
  #reason: unknown;
  #reject: ((error: unknown) => void) | undefined;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCancel: (() => void) | undefined;

  constructor(limitMs: number, callerSignal: AbortSignal | undefined) {
    this.options = new AttemptOptions(this);
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
    }, limitMs);
    this.#callerSignal = callerSignal;
    if (callerSignal !== undefined) {
      const onCancel = () =>
        this.abort(callerSignal.reason ?? new DOMException('Cancelled', 'AbortError'));
      this.#onCancel = onCancel;
      callerSignal.addEventListener('abort', onCancel, { once: true });
      if (callerSignal.aborted) onCancel();
    }
  }

  /** The signal handed to the model; aborted with the attempt. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts the attempt (once): the model's signal fires, then a pending `race` rejects. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const reject = this.#reject;
    if (reject !== undefined) {
      this.#reject = undefined;
      reject(attemptAbortError(reason, this.#timedOut));
    }
  }

  timedOut(): boolean {
    return this.#timedOut;
  }

  /**
   * Waits for the model's call, but never longer than the attempt allows: a
   * model that ignores its AbortSignal cannot hang the request. Same errors
   * as `raceSignal`.
   */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.#aborted) {
      work.catch(() => {});
      return Promise.reject(attemptAbortError(this.#reason, this.#timedOut));
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      work.then(
        (value) => {
          this.#reject = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#reject = undefined;
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    if (this.#onCancel !== undefined)
      this.#callerSignal?.removeEventListener('abort', this.#onCancel);
  }
}

/**
 * The call options of one attempt. `signal` is an own enumerable accessor, so
 * adapters that spread their options keep it, and it creates the attempt's
 * AbortController on first read. One shared accessor defined with one shared
 * descriptor, not a literal getter (see lazy-property.ts for why).
 */
class AttemptOptions {
  readonly #scope: AttemptScope;
  declare readonly signal: AbortSignal;

  constructor(scope: AttemptScope) {
    this.#scope = scope;
    Object.defineProperty(this, 'signal', SIGNAL);
  }

  static signalOf(options: AttemptOptions): AbortSignal {
    return options.#scope.signal;
  }
}

const SIGNAL: PropertyDescriptor = {
  get(this: AttemptOptions): AbortSignal {
    return AttemptOptions.signalOf(this);
  },
  enumerable: true,
  configurable: true,
};

// An attempt's signal is its own (one AttemptScope per attempt, never reused)
// and fires at the attempt's limit and at the caller's cancellation.
markCallOwnedSignal(AttemptOptions.prototype);

/** The error an aborted attempt ends with: a timeout of ours, or the caller's cancellation. */
export function attemptAbortError(reason: unknown, timedOut: boolean): OrchestratorError {
  return timedOut
    ? new TimeoutError('The attempt timed out.', {
        provider: 'orchestrator',
        possiblyBilled: true,
        cause: reason,
      })
    : new AbortedError('The request was cancelled by the caller.', reason);
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
