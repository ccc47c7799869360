import { performance } from 'node:perf_hooks';
import {
  BalancedSelector,
  type ChatResponse,
  CostBasedSelector,
  Model,
  ModelMetrics,
  ModelRegistry,
  type ModelSelector,
  PerformanceSelector,
  UCBModelSelector,
} from '@orchestrator/core';
import { fmt, printTable, stats } from './harness.js';

class BenchModel extends Model {
  async generate(): Promise<ChatResponse> {
    throw new Error('not called in this benchmark');
  }
}

const SIZES = [10, 100, 1_000, 10_000];

function fleet(n: number): BenchModel[] {
  return Array.from({ length: n }, (_, i) => {
    const model = new BenchModel({
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
    for (let k = 0; k < 20; k++)
      model.metrics.record(
        { success: k % 10 !== 0, latencyMs: 100 + ((i * k) % 900), outputTokens: 100 },
        0.8,
        k,
      );
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
    for (const selector of selectors) {
      const criteria = {
        capabilities: ['chat'] as const,
        maxCost: 1,
        inputTokens: 800,
        outputTokens: 300,
      };
      const s = perCall(() => registry.select(criteria, selector), calls);
      rows.push({
        models: n,
        selector: selector.name,
        median: fmt(s.medianUs),
        p99: fmt(s.p99Us),
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
    const r = perCall(() => registry.record(names[k++ % n]!, outcome), 50_000);
    recordRows.push({ models: n, 'record() median': fmt(r.medianUs), p99: fmt(r.p99Us) });
  }
  printTable('select() per call (capability + cost filter, then the selector)', rows);
  printTable('record() per call (metrics + health + learning selectors)', recordRows);

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
