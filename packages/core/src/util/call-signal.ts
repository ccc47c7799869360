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
