import type { CallOptions } from '../types/chat.js';

/**
 * The signal a provider call should honour: the caller's signal combined with
 * the call's timeout (`options.timeoutMs`, else the model's default). The
 * timeout's reason is a DOMException named `TimeoutError`, which adapters use
 * to tell a timeout from a cancellation.
 */
export function callSignal(
  options: CallOptions | undefined,
  defaultTimeoutMs?: number,
): AbortSignal | undefined {
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
  const signals: AbortSignal[] = [];
  if (options?.signal) signals.push(options.signal);
  if (hasTimeout(timeoutMs)) {
    signals.push(AbortSignal.timeout(timeoutMs));
  }
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

const CALL_OWNED_SIGNAL = Symbol.for('@orchestrator/core.callOwnedSignal');

/**
 * Marks a class of call options whose `signal` belongs to one call alone (the
 * engine's attempts): see `signalOwnedByCall`.
 * @internal
 */
export function markCallOwnedSignal(prototype: object): void {
  Object.defineProperty(prototype, CALL_OWNED_SIGNAL, { value: true });
}

/**
 * True when `options` are an engine attempt's: their `signal` exists for this
 * one call and is dropped when it ends, and it already fires at the attempt's
 * limit (the model's `constraints.timeoutMs`, else the engine's attempt
 * timeout, within the request's deadline; a `TimeoutError` reason) and at the
 * caller's cancellation (the caller's reason). An adapter may then hand that
 * signal to an SDK as it is — even one that leaves a listener on the signal
 * it is given — instead of a `callScope` of its own. Options the caller built
 * (e.g. `{ signal }` of a batch or a session) never qualify.
 */
export function signalOwnedByCall(options: CallOptions | undefined): boolean {
  return (
    options !== undefined &&
    (options as { readonly [CALL_OWNED_SIGNAL]?: boolean })[CALL_OWNED_SIGNAL] === true
  );
}

/** True when `signal` was aborted by its timeout rather than by the caller. */
export function abortedByTimeout(signal: AbortSignal | undefined): boolean {
  const reason: unknown = signal?.reason;
  return reason instanceof DOMException && reason.name === 'TimeoutError';
}

/** The signal of one provider call, with its timer and listener cleaned up by `dispose`. */
export interface CallScope {
  readonly signal: AbortSignal;
  /** True when the call's own timeout fired (not the caller's cancellation). */
  timedOut(): boolean;
  /** Clears the timer and detaches from the caller's signal; call it when the call ends. */
  dispose(): void;
}

/** A `CallScope` that the adapter can also abort itself. */
export interface StoppableCallScope extends CallScope {
  /**
   * Aborts the call (with the platform's `AbortError`) — for a stream whose
   * consumer stopped reading early, so that the request does not run on.
   */
  stop(): void;
}

/**
 * Like `callSignal`, but with one controller and one timer that `dispose()`
 * clears, instead of `AbortSignal.timeout` (whose timer lives on until it
 * fires) and `AbortSignal.any` (which undici handles slowly). Adapters call
 * it once per request and dispose it when the response has been read. The
 * controller is always the scope's own, so `stop()` aborts the call even when
 * the caller gave neither a signal nor a timeout; a timeout aborts with a
 * `TimeoutError`, a caller's cancellation with the caller's reason.
 */
export function callScope(
  options: CallOptions | undefined,
  defaultTimeoutMs?: number,
): StoppableCallScope {
  const controller = new AbortController();
  const caller = options?.signal;
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (hasTimeout(timeoutMs)) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(
        new DOMException(`The call timed out after ${timeoutMs} ms.`, 'TimeoutError'),
      );
    }, timeoutMs);
  }
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    stop: () => controller.abort(),
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/** The signal of a call that may have no scope of its own (see `timedCallScope`). */
export interface TimedCall {
  /** The signal to hand the provider; undefined when there is neither a caller's signal nor a timeout. */
  readonly signal: AbortSignal | undefined;
  /** Ends the call's scope, if it has one; call it when the call ends. */
  dispose(): void;
}

const NOTHING_TO_DISPOSE: TimedCall['dispose'] = () => undefined;

/**
 * The signal of one call that only needs its timeout enforced: the caller's
 * signal passed through untouched (the same object, or none) when the call
 * has no timeout, so an untimed call costs no controller, timer or listener;
 * otherwise a `callScope` joining the caller's signal to the timeout.
 */
export function timedCallScope(
  options: CallOptions | undefined,
  defaultTimeoutMs?: number,
): TimedCall {
  if (!hasTimeout(options?.timeoutMs ?? defaultTimeoutMs)) {
    return { signal: options?.signal, dispose: NOTHING_TO_DISPOSE };
  }
  return callScope(options, defaultTimeoutMs);
}

// A timeout of 0, a negative one, NaN or Infinity means none (as `callSignal` always read it).
// (A false answer does not mean undefined: callers use only the true branch's narrowing.)
function hasTimeout(timeoutMs: number | undefined): timeoutMs is number {
  return timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0;
}
