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
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0) {
    signals.push(AbortSignal.timeout(timeoutMs));
  }
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
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

/**
 * Like `callSignal`, but with one controller and one timer that `dispose()`
 * clears, instead of `AbortSignal.timeout` (whose timer lives on until it
 * fires) and `AbortSignal.any` (which undici handles slowly). Adapters call
 * it once per request and dispose it when the response has been read.
 */
export function callScope(options: CallOptions | undefined, defaultTimeoutMs?: number): CallScope {
  const controller = new AbortController();
  const caller = options?.signal;
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0) {
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
    dispose: () => {
      if (timer) clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
