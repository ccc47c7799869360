import { OrchestratorError } from '../errors/orchestrator-error.js';
import type { Random } from '../util/random.js';

export interface RetryOptions {
  /** Retries on the same model after its first try. Default 2. */
  readonly maxRetries?: number;
  /** First backoff, ms; doubles per retry. Default 200. */
  readonly baseDelayMs?: number;
  /** Longest backoff, ms. Default 5,000. */
  readonly maxDelayMs?: number;
  /**
   * Retries may add at most this share of a model's recent requests, plus
   * `minRetriesPerWindow`, so a provider that fails every call sees bounded
   * extra traffic rather than a retry storm. Default 0.2.
   */
  readonly budgetRatio?: number;
  readonly minRetriesPerWindow?: number;
  /** Window of the retry budget, ms. Default 10 s. */
  readonly budgetWindowMs?: number;
}

export type Disposition =
  /** Try the same model again after a backoff. */
  | 'retry'
  /** Move on to the next model. */
  | 'fallback'
  /** Stop: the request itself is at fault (or the caller cancelled). */
  | 'stop';

/**
 * What to do after a failure, by the error's meaning:
 * - rate limits, overload, 5xx, network failures before the body was sent,
 *   malformed responses: retry (then fall back);
 * - timeouts and network failures after the body was sent: fall back — a
 *   blind retry could run (and bill) the work twice;
 * - bad keys, exhausted quota, too-long context: fall back (another model may
 *   serve);
 * - invalid requests, content policy: stop; cancellation: stop.
 */
export function dispositionOf(error: unknown): Disposition {
  if (!OrchestratorError.isInstance(error)) return 'fallback';
  switch (error.code) {
    case 'rate_limited':
    case 'overloaded':
    case 'provider_error':
    case 'invalid_response':
      return 'retry';
    case 'network_error':
    case 'timeout':
      return (error as { possiblyBilled?: boolean }).possiblyBilled ? 'fallback' : 'retry';
    case 'authentication_failed':
    case 'quota_exceeded':
    case 'context_length_exceeded':
    case 'circuit_open':
    case 'unsupported_feature':
      return 'fallback';
    case 'aborted':
    case 'invalid_request':
    case 'content_policy':
      return 'stop';
    default:
      return error.retryable ? 'retry' : 'fallback';
  }
}

/** The wait the provider asked for, if it said. */
export function retryAfterOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Capped exponential backoff with full jitter (uniform in [0, cap]). */
export function backoffDelay(retry: number, base: number, max: number, random: Random): number {
  const cap = Math.min(max, base * 2 ** Math.max(0, retry - 1));
  return Math.round(cap * random());
}

interface BudgetWindow {
  start: number;
  requests: number;
  retries: number;
}

/** Per-model retry budget over a fixed window. */
export class RetryBudget {
  private readonly windows = new Map<string, BudgetWindow>();

  constructor(
    private readonly ratio: number,
    private readonly minPerWindow: number,
    private readonly windowMs: number,
  ) {}

  onRequest(model: string, now: number): void {
    this.windowOf(model, now).requests++;
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(model: string, now: number): boolean {
    const w = this.windowOf(model, now);
    if (w.retries >= this.minPerWindow + this.ratio * w.requests) return false;
    w.retries++;
    return true;
  }

  private windowOf(model: string, now: number): BudgetWindow {
    let w = this.windows.get(model);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, requests: 0, retries: 0 };
      this.windows.set(model, w);
    }
    return w;
  }
}

export const DEFAULT_RETRY = {
  maxRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  budgetRatio: 0.2,
  minRetriesPerWindow: 10,
  budgetWindowMs: 10_000,
} as const satisfies Required<RetryOptions>;
