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
 * Live figures of one model. Memory is fixed (a ring of recent latencies
 * plus a few counters) however many requests the model has served, and
 * `record` does no allocation on the success path.
 */
export class ModelMetrics {
  requests = 0;
  successes = 0;
  failures = 0;
  consecutiveFailures = 0;
  totalInputTokens = 0;
  totalOutputTokens = 0;
  totalCostUsd = 0;
  latencyEwmaMs: number | undefined;
  timeToFirstTokenEwmaMs: number | undefined;
  tokensPerSecond: number | undefined;
  lastError: { code: string; message: string; at: number } | undefined;
  lastSuccessAt: number | undefined;
  private rewardSum = 0;
  private rewardCount = 0;
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;
  /**
   * Called after every `record` and `reset`: a registry keeps the figures
   * selection reads in columns (typed arrays scanned per request) and
   * refreshes its copy here, so a change never goes unseen however the
   * metrics were recorded. Undefined until someone watches (most never are).
   */
  private watchers: (() => void)[] | undefined;
  /** The only watcher, when there is exactly one (the usual case: one registry). */
  private watcher: (() => void) | undefined;

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
    return this.requests === 0 ? 1 : this.successes / this.requests;
  }

  get meanReward(): number | undefined {
    return this.rewardCount === 0 ? undefined : this.rewardSum / this.rewardCount;
  }

  record(outcome: ModelOutcome, reward: number | undefined, now: number): void {
    this.requests++;
    if (outcome.costUsd !== undefined) this.totalCostUsd += outcome.costUsd;
    if (outcome.inputTokens !== undefined) this.totalInputTokens += outcome.inputTokens;
    if (outcome.outputTokens !== undefined) this.totalOutputTokens += outcome.outputTokens;
    if (reward !== undefined) {
      this.rewardSum += reward;
      this.rewardCount++;
    }
    if (!outcome.success) {
      this.failures++;
      this.consecutiveFailures++;
      const error = outcome.error;
      this.lastError = {
        code: error?.code ?? 'unknown',
        message: (error?.message ?? 'failed').slice(0, 500),
        at: now,
      };
      this.changed();
      return;
    }
    this.successes++;
    this.consecutiveFailures = 0;
    this.lastSuccessAt = now;
    const latency = outcome.latencyMs;
    this.latencies[this.latencyCount % LATENCY_WINDOW] = latency;
    this.latencyCount++;
    this.latencyEwmaMs = ewma(this.latencyEwmaMs, latency);
    const ttft = outcome.timeToFirstTokenMs;
    if (ttft !== undefined) this.timeToFirstTokenEwmaMs = ewma(this.timeToFirstTokenEwmaMs, ttft);
    const out = outcome.outputTokens;
    if (out !== undefined && out > 0) {
      const generationMs = Math.max(1, latency - (ttft ?? 0));
      this.tokensPerSecond = ewma(this.tokensPerSecond, (out * 1000) / generationMs);
    }
    this.changed();
  }

  /** Latency percentile over the last LATENCY_WINDOW successful calls (nearest-rank). */
  percentile(p: number): number | undefined {
    const n = Math.min(this.latencyCount, LATENCY_WINDOW);
    if (n === 0) return undefined;
    const sorted = this.latencies.slice(0, n).sort();
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
    this.requests = this.successes = this.failures = this.consecutiveFailures = 0;
    this.totalInputTokens = this.totalOutputTokens = this.totalCostUsd = 0;
    this.rewardSum = this.rewardCount = this.latencyCount = 0;
    this.latencyEwmaMs = this.timeToFirstTokenEwmaMs = this.tokensPerSecond = undefined;
    this.lastError = undefined;
    this.lastSuccessAt = undefined;
    this.changed();
  }
}

function ewma(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + EWMA_ALPHA * (sample - previous);
}
