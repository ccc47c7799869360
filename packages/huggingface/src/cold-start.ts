import {
  AbortedError,
  abortedByTimeout,
  type ProviderErrorOptions,
  TimeoutError,
} from '@orchestrator/core';
import { PROVIDER } from './huggingface-error.js';

/** Progress of riding out a cold model, as `LazyHuggingFaceModel` reports it. */
export type ColdStartEvent =
  | {
      readonly type: 'loading';
      readonly model: string;
      /** What the server estimated the load would still take, when it said. */
      readonly estimatedTimeMs: number | undefined;
      /** Time spent waiting so far in this warm-up. */
      readonly waitedMs: number;
      /** Loading replies seen so far in this warm-up (1 for the first). */
      readonly attempt: number;
      /** How long until the next try. */
      readonly nextPollInMs: number;
    }
  | {
      readonly type: 'ready';
      readonly model: string;
      readonly waitedMs: number;
      readonly attempts: number;
    }
  | {
      readonly type: 'failed';
      readonly model: string;
      readonly waitedMs: number;
      readonly error: unknown;
    };

export interface ColdStartPolicy {
  /** Longest total wait for a cold model before giving up (default 5 minutes). */
  readonly maxColdStartWaitMs: number;
  /** Wait when the server gives no estimate (default 1 s). */
  readonly initialPollMs: number;
  /** Longest single wait between tries (default 15 s). */
  readonly maxPollIntervalMs: number;
  /** Growth of the wait from one loading reply to the next (default 1.5). */
  readonly backoffFactor: number;
}

export const DEFAULT_COLD_START_POLICY: ColdStartPolicy = Object.freeze({
  maxColdStartWaitMs: 5 * 60_000,
  initialPollMs: 1_000,
  maxPollIntervalMs: 15_000,
  backoffFactor: 1.5,
});

/** Shortest wait between tries, so an estimate of 0 does not spin. */
const MIN_POLL_MS = 10;

/**
 * The wait before try `attempt` (0-based): the server's estimate (or the
 * initial poll when it gave none), growing by the backoff factor with each
 * loading reply, capped by the longest interval and the time left.
 */
export function nextPollDelay(
  policy: ColdStartPolicy,
  attempt: number,
  estimatedTimeMs: number | undefined,
  remainingMs: number,
): number {
  const base = estimatedTimeMs ?? policy.initialPollMs;
  const grown = base * policy.backoffFactor ** attempt;
  return Math.max(0, Math.min(remainingMs, policy.maxPollIntervalMs, Math.max(MIN_POLL_MS, grown)));
}

/** The model was still loading when the configured bound ran out. */
export class ColdStartTimeoutError extends TimeoutError {
  static override readonly marker: typeof TimeoutError.marker = Symbol.for(
    'orchestrator.error.huggingface.ColdStartTimeoutError',
  ) as unknown as typeof TimeoutError.marker;
  readonly waitedMs: number;
  readonly maxColdStartWaitMs: number;
  constructor(model: string, maxColdStartWaitMs: number, waitedMs: number, cause?: unknown) {
    const options: ProviderErrorOptions & { possiblyBilled: boolean } = {
      provider: PROVIDER,
      model,
      status: 503,
      providerCode: 'model_loading',
      cause,
      possiblyBilled: false,
    };
    super(
      `${PROVIDER} (${model}): the model was still loading after ${Math.round(waitedMs)} ms; ` +
        `gave up at maxColdStartWaitMs = ${maxColdStartWaitMs} ms`,
      options,
    );
    this.waitedMs = waitedMs;
    this.maxColdStartWaitMs = maxColdStartWaitMs;
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      waitedMs: this.waitedMs,
      maxColdStartWaitMs: this.maxColdStartWaitMs,
    };
  }
}

/** The error for a wait cut short by `signal`: the caller's cancellation, or its deadline. */
export function abortError(
  model: string,
  signal: AbortSignal,
  callerSignal: AbortSignal | undefined,
  waitedMs: number,
) {
  if (!callerSignal?.aborted && abortedByTimeout(signal)) {
    return new TimeoutError(
      `${PROVIDER} (${model}): the call timed out after waiting ${Math.round(waitedMs)} ms for the model to load`,
      { provider: PROVIDER, model, possiblyBilled: false },
    );
  }
  return new AbortedError(undefined, signal.reason);
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  onAbort: () => unknown,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(onAbort());
      return;
    }
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Waits for `promise`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => unknown,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
