import type { ModelOutcome } from './model-outcome.js';

/** Latency samples kept for percentiles: the most recent ones, in a ring. */
export const LATENCY_WINDOW = 256;
/** Weight of the newest sample in the moving averages. */
const EWMA_ALPHA = 0.2;

export interface ModelMetricsSnapshot {
  readonly requests: number;
  readonly successes: number;
  readonly failures: number;
  /** successes / requests; 1 before any request, so a new model is not penalized. */
  readonly successRate: number;
  readonly consecutiveFailures: number;
  /** Exponentially weighted moving average of latency, ms; undefined before any success. */
  readonly latencyEwmaMs: number | undefined;
  readonly latencyP50Ms: number | undefined;
  readonly latencyP95Ms: number | undefined;
  readonly latencyP99Ms: number | undefined;
  readonly timeToFirstTokenEwmaMs: number | undefined;
  /** Moving average of output tokens per second of generation. */
  readonly tokensPerSecond: number | undefined;
  readonly totalInputTokens: number;
  readonly totalOutputTokens: number;
  readonly totalCostUsd: number;
  readonly meanReward: number | undefined;
  readonly lastError:
    | { readonly code: string; readonly message: string; readonly at: number }
    | undefined;
  readonly lastSuccessAt: number | undefined;
}

/**
 * Where each figure lives in a ModelMetrics' one Float64Array: the figures
 * record() writes first, then the latency ring. Among thousands of models
 * every object record() reads is a cache miss; number fields of a plain
 * object are each a separate heap box (and a new one per write for a field
 * that may be undefined), so they are kept here, side by side, instead.
 */
const REQUESTS = 0;
const SUCCESSES = 1;
const CONSECUTIVE_FAILURES = 2;
const LATENCY_COUNT = 3;
const LATENCY_EWMA = 4;
const TOKENS_PER_SECOND = 5;
const REWARD_SUM = 6;
const COST = 7;
const INPUT_TOKENS = 8;
const OUTPUT_TOKENS = 9;
const REWARD_COUNT = 10;
const LAST_SUCCESS_AT = 11;
const TTFT_EWMA = 12;
const FAILURES = 13;
/** Figures before the ring (a whole number of cache lines). */
const RING = 16;

/**
 * Live figures of one model. Memory is fixed (a ring of recent latencies
 * plus a few counters, all in one Float64Array) however many requests the
 * model has served, and `record` does no allocation on the success path.
 * Averages that may be undefined hold NaN until their first sample.
 */
export class ModelMetrics {
  lastError: { code: string; message: string; at: number } | undefined;
  private readonly data = new Float64Array(RING + LATENCY_WINDOW);
  /**
   * Called after every `record` and `reset`: a registry keeps the figures
   * selection reads in columns (typed arrays scanned per request) and
   * refreshes its copy here, so a change never goes unseen however the
   * metrics were recorded. Undefined until someone watches (most never are).
   */
  private watchers: (() => void)[] | undefined;
  /** The only watcher, when there is exactly one (the usual case: one registry). */
  private watcher: (() => void) | undefined;

  constructor() {
    this.data[TTFT_EWMA] = Number.NaN;
    this.data[TOKENS_PER_SECOND] = Number.NaN;
  }

  get requests(): number {
    return this.data[REQUESTS]!;
  }

  get successes(): number {
    return this.data[SUCCESSES]!;
  }

  get failures(): number {
    return this.data[FAILURES]!;
  }

  get consecutiveFailures(): number {
    return this.data[CONSECUTIVE_FAILURES]!;
  }

  get totalInputTokens(): number {
    return this.data[INPUT_TOKENS]!;
  }

  get totalOutputTokens(): number {
    return this.data[OUTPUT_TOKENS]!;
  }

  get totalCostUsd(): number {
    return this.data[COST]!;
  }

  /** Defined from the first success on (every success adds a latency). */
  get latencyEwmaMs(): number | undefined {
    return this.data[LATENCY_COUNT] === 0 ? undefined : this.data[LATENCY_EWMA];
  }

  get timeToFirstTokenEwmaMs(): number | undefined {
    return orUndefined(this.data[TTFT_EWMA]!);
  }

  get tokensPerSecond(): number | undefined {
    return orUndefined(this.data[TOKENS_PER_SECOND]!);
  }

  get lastSuccessAt(): number | undefined {
    return this.data[SUCCESSES] === 0 ? undefined : this.data[LAST_SUCCESS_AT];
  }

  /** Calls `listener` after each change; returns the function that stops it. */
  watch(listener: () => void): () => void {
    if (typeof listener !== 'function')
      throw new TypeError('ModelMetrics.watch() takes a function');
    this.setWatchers([...this.allWatchers(), listener]);
    return () => this.setWatchers(this.allWatchers().filter((l) => l !== listener));
  }

  private allWatchers(): (() => void)[] {
    return this.watcher !== undefined ? [this.watcher] : (this.watchers ?? []);
  }

  /**
   * One watcher is kept on its own (record() then calls it without reading an
   * array: among thousands of models each object read is a cache miss); more
   * go in an array replaced on change, so a listener that unwatches while
   * being notified does not skip another.
   */
  private setWatchers(list: (() => void)[]): void {
    this.watcher = list.length === 1 ? list[0] : undefined;
    this.watchers = list.length > 1 ? list : undefined;
  }

  private changed(): void {
    const watcher = this.watcher;
    if (watcher !== undefined) {
      watcher();
      return;
    }
    const watchers = this.watchers;
    if (watchers === undefined) return;
    for (let i = 0; i < watchers.length; i++) watchers[i]!();
  }

  get successRate(): number {
    const requests = this.data[REQUESTS]!;
    return requests === 0 ? 1 : this.data[SUCCESSES]! / requests;
  }

  get meanReward(): number | undefined {
    const count = this.data[REWARD_COUNT]!;
    return count === 0 ? undefined : this.data[REWARD_SUM]! / count;
  }

  record(outcome: ModelOutcome, reward: number | undefined, now: number): void {
    const d = this.data;
    d[REQUESTS]!++;
    if (outcome.costUsd !== undefined) d[COST]! += outcome.costUsd;
    if (outcome.inputTokens !== undefined) d[INPUT_TOKENS]! += outcome.inputTokens;
    if (outcome.outputTokens !== undefined) d[OUTPUT_TOKENS]! += outcome.outputTokens;
    if (reward !== undefined) {
      d[REWARD_SUM]! += reward;
      d[REWARD_COUNT]!++;
    }
    if (!outcome.success) {
      d[FAILURES]!++;
      d[CONSECUTIVE_FAILURES]!++;
      const error = outcome.error;
      this.lastError = {
        code: error?.code ?? 'unknown',
        message: (error?.message ?? 'failed').slice(0, 500),
        at: now,
      };
      this.changed();
      return;
    }
    d[SUCCESSES]!++;
    d[CONSECUTIVE_FAILURES] = 0;
    d[LAST_SUCCESS_AT] = now;
    const latency = outcome.latencyMs;
    const count = d[LATENCY_COUNT]!;
    d[RING + (count % LATENCY_WINDOW)] = latency;
    d[LATENCY_COUNT] = count + 1;
    d[LATENCY_EWMA] = count === 0 ? latency : ewma(d[LATENCY_EWMA]!, latency);
    const ttft = outcome.timeToFirstTokenMs;
    if (ttft !== undefined) d[TTFT_EWMA] = ewma(d[TTFT_EWMA]!, ttft);
    const out = outcome.outputTokens;
    if (out !== undefined && out > 0) {
      const generationMs = Math.max(1, latency - (ttft ?? 0));
      d[TOKENS_PER_SECOND] = ewma(d[TOKENS_PER_SECOND]!, (out * 1000) / generationMs);
    }
    this.changed();
  }

  /** Latency percentile over the last LATENCY_WINDOW successful calls (nearest-rank). */
  percentile(p: number): number | undefined {
    const n = Math.min(this.data[LATENCY_COUNT]!, LATENCY_WINDOW);
    if (n === 0) return undefined;
    const sorted = this.data.slice(RING, RING + n).sort();
    const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
    return sorted[rank];
  }

  snapshot(): ModelMetricsSnapshot {
    return {
      requests: this.requests,
      successes: this.successes,
      failures: this.failures,
      successRate: this.successRate,
      consecutiveFailures: this.consecutiveFailures,
      latencyEwmaMs: this.latencyEwmaMs,
      latencyP50Ms: this.percentile(50),
      latencyP95Ms: this.percentile(95),
      latencyP99Ms: this.percentile(99),
      timeToFirstTokenEwmaMs: this.timeToFirstTokenEwmaMs,
      tokensPerSecond: this.tokensPerSecond,
      totalInputTokens: this.totalInputTokens,
      totalOutputTokens: this.totalOutputTokens,
      totalCostUsd: this.totalCostUsd,
      meanReward: this.meanReward,
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  reset(): void {
    // The ring's old samples need no clearing: the count says how many are live.
    this.data.fill(0, 0, RING);
    this.data[TTFT_EWMA] = Number.NaN;
    this.data[TOKENS_PER_SECOND] = Number.NaN;
    this.lastError = undefined;
    this.changed();
  }
}

/** NaN (no sample yet) as undefined. */
function orUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

/** The moving average after `sample`; the first sample (previous NaN) starts it. */
function ewma(previous: number, sample: number): number {
  return Number.isNaN(previous) ? sample : previous + EWMA_ALPHA * (sample - previous);
}
