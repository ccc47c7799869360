import { LATENCY_WINDOW, type MetricsPlace, metricsArena } from './model-metrics-arena.js';
import type { ModelOutcome } from './model-outcome.js';

export { LATENCY_WINDOW };

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
 * Where each figure lives in a ModelMetrics' row of its arena chunk (see
 * MetricsArena): what a success writes first, side by side. Number fields of
 * a plain object are each a separate heap box (and a new one per write for a
 * field that may be undefined): among thousands of models each is a cache
 * miss. Requests are successes + failures, and every success adds one
 * latency, so neither count is kept apart.
 */
const SUCCESSES = 0;
const CONSECUTIVE_FAILURES = 1;
const LATENCY_EWMA = 2;
const TOKENS_PER_SECOND = 3;
const REWARD_SUM = 4;
const COST = 5;
const INPUT_TOKENS = 6;
const OUTPUT_TOKENS = 7;
const LAST_SUCCESS_AT = 8;
/** Records that came without a reward (the registry always brings one). */
const UNREWARDED = 9;
const TTFT_EWMA = 10;
const FAILURES = 11;
/** How many watchers there are, so a registry can tell without reading the object. */
const WATCHERS = 12;

/**
 * Live figures of one model. Memory is fixed (a ring of recent latencies
 * plus a few counters, in a shared arena) however many requests the model
 * has served, and `record` does no allocation on the success path.
 * Averages that may be undefined hold NaN until their first sample.
 */
export class ModelMetrics {
  lastError: { code: string; message: string; at: number } | undefined;
  /** The arena chunk holding the figures (at `figures`) and the latency ring (at `ring`). */
  private readonly data: Float64Array;
  private readonly figures: number;
  private readonly ring: number;
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
    const place = metricsArena.take(this);
    this.data = place.data;
    this.figures = place.figures;
    this.ring = place.ring;
    this.data[this.figures + TTFT_EWMA] = Number.NaN;
    this.data[this.figures + TOKENS_PER_SECOND] = Number.NaN;
  }

  /**
   * @internal Where the figures are, for a registry's record(): with the
   * place at hand it records a success without reading this object
   * (`recordSuccessAt`), and calls `record` otherwise.
   */
  static placeOf(metrics: ModelMetrics): MetricsPlace {
    return { data: metrics.data, figures: metrics.figures, ring: metrics.ring };
  }

  get requests(): number {
    return this.data[this.figures + SUCCESSES]! + this.data[this.figures + FAILURES]!;
  }

  get successes(): number {
    return this.data[this.figures + SUCCESSES]!;
  }

  get failures(): number {
    return this.data[this.figures + FAILURES]!;
  }

  get consecutiveFailures(): number {
    return this.data[this.figures + CONSECUTIVE_FAILURES]!;
  }

  get totalInputTokens(): number {
    return this.data[this.figures + INPUT_TOKENS]!;
  }

  get totalOutputTokens(): number {
    return this.data[this.figures + OUTPUT_TOKENS]!;
  }

  get totalCostUsd(): number {
    return this.data[this.figures + COST]!;
  }

  /** Defined from the first success on (every success adds a latency). */
  get latencyEwmaMs(): number | undefined {
    return this.successes === 0 ? undefined : this.data[this.figures + LATENCY_EWMA];
  }

  get timeToFirstTokenEwmaMs(): number | undefined {
    return orUndefined(this.data[this.figures + TTFT_EWMA]!);
  }

  get tokensPerSecond(): number | undefined {
    return orUndefined(this.data[this.figures + TOKENS_PER_SECOND]!);
  }

  get lastSuccessAt(): number | undefined {
    return this.successes === 0 ? undefined : this.data[this.figures + LAST_SUCCESS_AT];
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
    this.data[this.figures + WATCHERS] = list.length;
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
    const requests = this.requests;
    return requests === 0 ? 1 : this.successes / requests;
  }

  get meanReward(): number | undefined {
    const count = this.requests - this.data[this.figures + UNREWARDED]!;
    return count === 0 ? undefined : this.data[this.figures + REWARD_SUM]! / count;
  }

  record(outcome: ModelOutcome, reward: number | undefined, now: number): void {
    if (outcome.success) {
      recordSuccessAt(this.data, this.figures, this.ring, outcome, reward, now);
      this.changed();
      return;
    }
    const d = this.data;
    const f = this.figures;
    addTotals(d, f, outcome, reward);
    d[f + FAILURES]!++;
    d[f + CONSECUTIVE_FAILURES]!++;
    const error = outcome.error;
    this.lastError = {
      code: error?.code ?? 'unknown',
      message: (error?.message ?? 'failed').slice(0, 500),
      at: now,
    };
    this.changed();
  }

  /** Latency percentile over the last LATENCY_WINDOW successful calls (nearest-rank). */
  percentile(p: number): number | undefined {
    const n = Math.min(this.successes, LATENCY_WINDOW);
    if (n === 0) return undefined;
    const sorted = this.data.slice(this.ring, this.ring + n).sort();
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
    const f = this.figures;
    this.data.fill(0, f, f + WATCHERS);
    this.data[f + TTFT_EWMA] = Number.NaN;
    this.data[f + TOKENS_PER_SECOND] = Number.NaN;
    this.lastError = undefined;
    this.changed();
  }
}

/**
 * @internal `ModelMetrics.record` of a success without its watchers, on the
 * figures at `f` and the ring at `ring` of `d` (the metrics' place): the
 * caller tells the watchers (see `watcherCount`).
 */
export function recordSuccessAt(
  d: Float64Array,
  f: number,
  ring: number,
  outcome: ModelOutcome,
  reward: number | undefined,
  now: number,
): void {
  addTotals(d, f, outcome, reward);
  const count = d[f + SUCCESSES]!;
  d[f + SUCCESSES] = count + 1;
  d[f + CONSECUTIVE_FAILURES] = 0;
  d[f + LAST_SUCCESS_AT] = now;
  const latency = outcome.latencyMs;
  d[ring + (count % LATENCY_WINDOW)] = latency;
  d[f + LATENCY_EWMA] = count === 0 ? latency : ewma(d[f + LATENCY_EWMA]!, latency);
  const ttft = outcome.timeToFirstTokenMs;
  if (ttft !== undefined) d[f + TTFT_EWMA] = ewma(d[f + TTFT_EWMA]!, ttft);
  const out = outcome.outputTokens;
  if (out !== undefined && out > 0) {
    const generationMs = Math.max(1, latency - (ttft ?? 0));
    d[f + TOKENS_PER_SECOND] = ewma(d[f + TOKENS_PER_SECOND]!, (out * 1000) / generationMs);
  }
}

/** @internal How many watchers the metrics whose figures are at `f` of `d` have. */
export function watcherCount(d: Float64Array, f: number): number {
  return d[f + WATCHERS]!;
}

/** What every outcome adds, success or failure. */
function addTotals(
  d: Float64Array,
  f: number,
  outcome: ModelOutcome,
  reward: number | undefined,
): void {
  if (outcome.costUsd !== undefined) d[f + COST]! += outcome.costUsd;
  if (outcome.inputTokens !== undefined) d[f + INPUT_TOKENS]! += outcome.inputTokens;
  if (outcome.outputTokens !== undefined) d[f + OUTPUT_TOKENS]! += outcome.outputTokens;
  if (reward !== undefined) d[f + REWARD_SUM]! += reward;
  else d[f + UNREWARDED]!++;
}

/** NaN (no sample yet) as undefined. */
function orUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

/** The moving average after `sample`; the first sample (previous NaN) starts it. */
function ewma(previous: number, sample: number): number {
  return Number.isNaN(previous) ? sample : previous + EWMA_ALPHA * (sample - previous);
}
