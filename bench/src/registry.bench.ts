import { performance } from 'node:perf_hooks';
import {
  BalancedSelector,
  type ChatResponse,
  type CircuitBreaker,
  CostBasedSelector,
  defaultReward,
  estimateLatencyMs,
  estimateModelCost,
  estimateQuality,
  Model,
  ModelHealthMonitor,
  ModelMetrics,
  type ModelOutcome,
  ModelRegistry,
  type ModelSelector,
  PerformanceSelector,
  type SelectionContext,
  type SelectionCriteria,
  UCBModelSelector,
} from '@orchestrator/core';
import { fmt, printTable, stats } from './harness.js';

class BenchModel extends Model {
  async generate(): Promise<ChatResponse> {
    throw new Error('not called in this benchmark');
  }
}

const SIZES = [10, 100, 1_000, 10_000];

function fleet<M extends BenchModel = BenchModel>(
  n: number,
  make: (options: ConstructorParameters<typeof BenchModel>[0]) => M = (options) =>
    new BenchModel(options) as M,
): M[] {
  return Array.from({ length: n }, (_, i) => {
    const model = make({
      name: `model-${i}`,
      provider: `provider-${i % 7}`,
      capabilities: {
        features:
          i % 3 === 0 ? ['chat', 'text_generation', 'tool_calling'] : ['chat', 'text_generation'],
        contextWindow: 8_192 * (1 + (i % 16)),
        qualityScore: ((i * 37) % 100) / 100,
        tokensPerSecond: 20 + (i % 200),
      },
      pricing: { inputPerMillion: 0.1 + (i % 50), outputPerMillion: 0.3 + (i % 50) * 3 },
    });
    // Some live history, so estimates take the metrics path.
    for (let k = 0; k < 20; k++) {
      const outcome = {
        success: k % 10 !== 0,
        latencyMs: 100 + ((i * k) % 900),
        outputTokens: 100,
      };
      model.metrics.record(outcome, 0.8, k);
      if (model instanceof LegacyBenchModel) model.legacyMetrics.record(outcome, 0.8, k);
    }
    return model;
  });
}

/** Times each call on its own (per-call p99), after a warm-up. */
function perCall(fn: () => unknown, calls: number): ReturnType<typeof stats> {
  for (let i = 0; i < Math.min(calls, 2_000); i++) fn();
  const samples = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    fn();
    samples[i] = (performance.now() - start) * 1000;
  }
  return stats(samples);
}

/**
 * Times two functions call for call, alternating which goes first, so load
 * from other processes hits both alike; returns both distributions.
 */
function perCallInterleaved(
  current: () => unknown,
  baseline: () => unknown,
  calls: number,
): { current: ReturnType<typeof stats>; baseline: ReturnType<typeof stats> } {
  for (let i = 0; i < Math.min(calls, 2_000); i++) {
    current();
    baseline();
  }
  const a = new Array<number>(calls);
  const b = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    if (i % 2 === 0) {
      let start = performance.now();
      current();
      a[i] = (performance.now() - start) * 1000;
      start = performance.now();
      baseline();
      b[i] = (performance.now() - start) * 1000;
    } else {
      let start = performance.now();
      baseline();
      b[i] = (performance.now() - start) * 1000;
      start = performance.now();
      current();
      a[i] = (performance.now() - start) * 1000;
    }
  }
  return { current: stats(a), baseline: stats(b) };
}

export async function run(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  const recordRows: Record<string, string | number>[] = [];
  for (const n of SIZES) {
    const ucb = new UCBModelSelector();
    const selectors: ModelSelector[] = [
      new BalancedSelector(),
      new CostBasedSelector(),
      new PerformanceSelector(),
      ucb,
    ];
    const registry = new ModelRegistry();
    for (const model of fleet(n)) registry.register(model);
    registry.attach(ucb);
    // Give the bandit one observation per arm so it exploits rather than explores.
    for (let i = 0; i < n; i++) ucb.update(`model-${i}`, ((i * 13) % 100) / 100);
    const calls = n >= 10_000 ? 300 : n >= 1_000 ? 2_000 : 20_000;
    const legacy = new LegacySelection(registry);
    for (const selector of selectors) {
      const criteria: SelectionCriteria = {
        capabilities: ['chat'],
        maxCost: 1,
        inputTokens: 800,
        outputTokens: 300,
      };
      // The baseline must choose what the current path chooses, or the comparison means nothing.
      const chosen = registry.select(criteria, selector).name;
      const before = legacy.select(criteria, selector).name;
      if (chosen !== before)
        throw new Error(`${selector.name}: current chose ${chosen}, the old path ${before}`);
      // Alone (the figure the targets are about), then call for call against the old path
      // (which evicts the columns from cache between calls, so the current path runs
      // slower there than alone: the ratio is the comparison, the first columns the speed).
      const alone = perCall(() => registry.select(criteria, selector), calls);
      const s = perCallInterleaved(
        () => registry.select(criteria, selector),
        () => legacy.select(criteria, selector),
        calls,
      );
      rows.push({
        models: n,
        selector: selector.name,
        median: fmt(alone.medianUs),
        p99: fmt(alone.p99Us),
        'interleaved: median': fmt(s.current.medianUs),
        'old median': fmt(s.baseline.medianUs),
        'old p99': fmt(s.baseline.p99Us),
        'new / old': (s.current.medianUs / s.baseline.medianUs).toFixed(2),
        calls,
      });
    }
    let k = 0;
    const outcome = {
      success: true,
      latencyMs: 250,
      inputTokens: 500,
      outputTokens: 200,
      costUsd: 0.001,
    };
    // Names built once, as callers pass model.name: building a fresh string per call (and
    // hashing it in each Map lookup) measured the template literal more than record().
    const names = Array.from({ length: n }, (_, i) => `model-${i}`);
    // Alone first (the figure the target is about), then against the old record path on
    // its own copy of the fleet (its own health monitor and bandit, so neither side warms
    // the other's objects), call for call: twice the objects, so both run slower there.
    const alone = perCall(() => registry.record(names[k++ % n]!, outcome), 50_000);
    const old = new LegacyRecorder(fleet(n, (options) => new LegacyBenchModel(options)));
    let j = 0;
    const r = perCallInterleaved(
      () => registry.record(names[k++ % n]!, outcome),
      () => old.record(names[j++ % n]!, outcome),
      50_000,
    );
    recordRows.push({
      models: n,
      'record() median': fmt(alone.medianUs),
      p99: fmt(alone.p99Us),
      'interleaved: median': fmt(r.current.medianUs),
      'old median': fmt(r.baseline.medianUs),
      'new / old': (r.current.medianUs / r.baseline.medianUs).toFixed(2),
    });
  }
  printTable(
    'select() per call (capability + cost filter, then the selector; "old" = the pre-column path, interleaved call for call with the current one)',
    rows,
  );
  printTable(
    'record() per call (metrics + health + learning selectors; "old" = the pre-column path, interleaved)',
    recordRows,
  );

  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    console.log('\n(memory per model skipped: run with node --expose-gc, as `pnpm bench` does)');
    return;
  }
  const memRows: Record<string, string | number>[] = [];
  // Many models for the small histories; fewer for 100,000 outcomes each (10M records).
  for (const [models, seen] of [
    [2_000, 0],
    [2_000, 1_000],
    [100, 100_000],
  ] as const) {
    const bytes = metricsBytesPerModel(gc, models, seen);
    memRows.push({
      models,
      'outcomes per model': seen,
      'bytes per model (ModelMetrics)': Math.round(bytes),
      'KB per model': (bytes / 1024).toFixed(2),
    });
  }
  printTable(
    'Metrics memory per model (heap + array buffers after gc, delta / models; target ≤ 8 KB)',
    memRows,
  );
}

/**
 * Bytes one ModelMetrics holds after `seen` outcomes: N fresh metrics are
 * each driven through `seen` recorded outcomes (successes, and failures that
 * replace the last error), then everything else is collected. Counts the
 * V8 heap and ArrayBuffer backing stores (the latency ring is a
 * Float64Array, whose storage is outside the heap).
 */
function metricsBytesPerModel(gc: () => void, models: number, seen: number): number {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  gc();
  gc();
  const before = used();
  const metrics = Array.from({ length: models }, () => new ModelMetrics());
  for (let i = 0; i < seen; i++) {
    const outcome =
      i % 9 === 0
        ? {
            success: false,
            latencyMs: i % 700,
            costUsd: 0.0001,
            error: { code: 'timeout', message: `attempt ${i} timed out` },
          }
        : { success: true, latencyMs: i % 700, outputTokens: 50, costUsd: 0.0001 };
    for (const m of metrics) m.record(outcome, 0.5, i);
  }
  gc();
  gc();
  const after = used();
  // Keeps the metrics alive until after the second measurement.
  if (metrics.some((m) => m.requests !== seen)) throw new Error('metrics lost records');
  return (after - before) / models;
}

// The selection path as it was before the registry kept columns (commit b1b45c4):
// a filter over one flat object per model, then the selector over Model objects,
// with Balanced's two-pass full scan. Kept here only as the baseline the bench
// measures the current path against in the same run, call for call.

interface LegacyEntry {
  readonly model: Model;
  readonly name: string;
  readonly provider: string;
  readonly capabilityMask: number;
  readonly contextWindow: number;
  readonly taskTypes: readonly string[];
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  readonly perRequest: number;
  readonly maxCostPerRequest: number;
  readonly breaker: CircuitBreaker;
}

const FEATURES = [
  'text_generation',
  'chat',
  'code_generation',
  'reasoning',
  'vision',
  'embeddings',
  'tool_calling',
  'json_mode',
  'streaming',
  'image_generation',
  'audio_transcription',
  'audio_translation',
];
const BIT = new Map(FEATURES.map((c, i) => [c, 1 << i]));

export class LegacySelection {
  private readonly ordered: LegacyEntry[];

  constructor(registry: ModelRegistry) {
    this.ordered = registry.list().map((model) => {
      let capabilityMask = 0;
      for (const c of model.capabilities.features) capabilityMask |= BIT.get(c) ?? 0;
      const breaker = registry.healthMonitor.breakerOf(model.name);
      if (!breaker) throw new Error(`no breaker for ${model.name}`);
      return {
        model,
        name: model.name,
        provider: model.provider,
        capabilityMask,
        contextWindow: model.capabilities.contextWindow,
        taskTypes: model.capabilities.taskTypes,
        inputPerMillion: model.pricing.inputPerMillion,
        outputPerMillion: model.pricing.outputPerMillion,
        perRequest: model.pricing.perRequest ?? 0,
        maxCostPerRequest: model.constraints.maxCostPerRequest ?? Number.POSITIVE_INFINITY,
        breaker,
      };
    });
  }

  eligible(criteria: SelectionCriteria): Model[] {
    let required = 0;
    for (const c of criteria.capabilities ?? []) required |= BIT.get(c) ?? 0;
    const minContext = criteria.contextLength ?? 0;
    const maxCost = criteria.maxCost ?? Number.POSITIVE_INFINITY;
    const input = (criteria.inputTokens ?? 1_000) / 1e6;
    const output = (criteria.outputTokens ?? 500) / 1e6;
    const now = Date.now();
    const out: Model[] = [];
    for (const e of this.ordered) {
      if ((e.capabilityMask & required) !== required || e.contextWindow < minContext) continue;
      const cost = input * e.inputPerMillion + output * e.outputPerMillion + e.perRequest;
      if (cost > maxCost || cost > e.maxCostPerRequest) continue;
      if (e.breaker.state !== 'closed' && !e.breaker.canPass(now)) continue;
      out.push(e.model);
    }
    return out;
  }

  /** The old registry.select: filter, then the selector over models (Balanced: the old full scan). */
  select(criteria: SelectionCriteria, selector: ModelSelector): Model {
    const candidates = this.eligible(criteria);
    const ctx = {
      taskType: criteria.taskType,
      inputTokens: criteria.inputTokens ?? 1_000,
      outputTokens: criteria.outputTokens ?? 500,
      now: Date.now(),
    };
    if (selector.name === 'balanced') return legacyBalanced(candidates, ctx);
    return selector.select(candidates, ctx).model;
  }
}

const scratchCosts: number[] = [];
const scratchLatencies: number[] = [];

/** BalancedSelector.select with default weights as it was: every candidate's two logarithms. */
function legacyBalanced(candidates: readonly Model[], ctx: SelectionContext): Model {
  const n = candidates.length;
  let minCost = Number.POSITIVE_INFINITY;
  let minLatency = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const model = candidates[i]!;
    const c = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
    const l = estimateLatencyMs(model, ctx.outputTokens);
    scratchCosts[i] = c;
    scratchLatencies[i] = l;
    if (c < minCost) minCost = c;
    if (l < minLatency) minLatency = l;
  }
  minCost += 1e-7;
  minLatency += 1;
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const quality = estimateQuality(candidates[i]!, ctx.taskType);
    const costScore = 1 - clamp01(Math.log10((scratchCosts[i]! + 1e-7) / minCost) / 3);
    const speedScore = 1 - clamp01(Math.log10((scratchLatencies[i]! + 1) / minLatency) / 2);
    const s = (costScore + speedScore + 2 * quality) / 4;
    if (i === 0 || s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return candidates[best]!;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * ModelMetrics.record as it was before its figures moved to arena chunks
 * (commit 38b7194): number fields on the object (each a heap box, a new one
 * per write for those that may be undefined) and a Float64Array ring of its own.
 */
class LegacyMetrics {
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
  private readonly latencies = new Float64Array(256);
  private latencyCount = 0;
  private watchers: (() => void)[] | undefined;
  private watcher: (() => void) | undefined;

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
    this.latencies[this.latencyCount % 256] = latency;
    this.latencyCount++;
    this.latencyEwmaMs = legacyEwma(this.latencyEwmaMs, latency);
    const ttft = outcome.timeToFirstTokenMs;
    if (ttft !== undefined)
      this.timeToFirstTokenEwmaMs = legacyEwma(this.timeToFirstTokenEwmaMs, ttft);
    const out = outcome.outputTokens;
    if (out !== undefined && out > 0) {
      const generationMs = Math.max(1, latency - (ttft ?? 0));
      this.tokensPerSecond = legacyEwma(this.tokensPerSecond, (out * 1000) / generationMs);
    }
    this.changed();
  }

  /** Unwatched here, as the old path's models were: the check is all it costs. */
  private changed(): void {
    if (this.watcher !== undefined) this.watcher();
    else if (this.watchers !== undefined) for (const w of this.watchers) w();
  }

  get meanReward(): number | undefined {
    return this.rewardCount === 0 ? undefined : this.rewardSum / this.rewardCount;
  }
}

function legacyEwma(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + 0.2 * (sample - previous);
}

/** A bench model that also carries the old metrics, for the old record path. */
class LegacyBenchModel extends BenchModel {
  readonly legacyMetrics = new LegacyMetrics();
}

/**
 * ModelRegistry.record as it was: a Map lookup, the reward from the model
 * (checked), the old metrics, health by name with a clock reading for a
 * success too, then every learner through a Set iterator — on models no
 * registry table watches. The learners and the breakers are today's (their
 * old layouts are not kept here), and it skips the old path's listener-count
 * check for `model:outcome`: if anything it is a little fast.
 */
class LegacyRecorder {
  private readonly models = new Map<string, LegacyBenchModel>();
  private readonly health = new ModelHealthMonitor();
  /** The monitor's own lookup by name, as `recordOutcome` did it. */
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly learners = new Set<ModelSelector>();
  private readonly clock = { now: () => Date.now() };

  constructor(models: readonly LegacyBenchModel[]) {
    const ucb = new UCBModelSelector();
    this.learners.add(new BalancedSelector());
    this.learners.add(ucb);
    for (const m of models) {
      this.models.set(m.name, m);
      this.breakers.set(m.name, this.health.watch(m));
    }
    for (let i = 0; i < models.length; i++) ucb.update(`model-${i}`, ((i * 13) % 100) / 100);
  }

  record(name: string, outcome: ModelOutcome): number {
    const model = this.models.get(name);
    if (!model) throw new Error(`unknown model ${name}`);
    const raw = outcome.reward ?? defaultReward(outcome, model);
    if (typeof raw !== 'number' || Number.isNaN(raw)) throw new RangeError(`bad reward ${raw}`);
    const reward = Math.min(1, Math.max(0, raw));
    model.legacyMetrics.record(outcome, reward, this.clock.now());
    const breaker = this.breakers.get(name)!;
    if (outcome.success) breaker.record(true, this.clock.now());
    else this.health.recordOutcomeOn(breaker, false, outcome.error?.code);
    for (const selector of this.learners) selector.update?.(name, reward, outcome.taskType);
    return reward;
  }
}
