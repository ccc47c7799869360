import { describe, expect, it } from 'vitest';
import { LATENCY_WINDOW, ModelMetrics } from './model-metrics.js';

describe('ModelMetrics', () => {
  it('counts outcomes, costs and tokens, and keeps the last error', () => {
    const m = new ModelMetrics();
    expect(m.successRate).toBe(1);
    m.record(
      { success: true, latencyMs: 100, inputTokens: 10, outputTokens: 50, costUsd: 0.01 },
      0.9,
      1,
    );
    m.record({ success: false, latencyMs: 5, error: { code: 'timeout', message: 'slow' } }, 0, 2);
    const s = m.snapshot();
    expect(s).toMatchObject({
      requests: 2,
      successes: 1,
      failures: 1,
      successRate: 0.5,
      consecutiveFailures: 1,
    });
    expect(s.totalCostUsd).toBeCloseTo(0.01);
    expect(s.totalOutputTokens).toBe(50);
    expect(s.meanReward).toBeCloseTo(0.45);
    expect(s.lastError).toEqual({ code: 'timeout', message: 'slow', at: 2 });
    expect(s.tokensPerSecond).toBeCloseTo(500);
  });

  it('computes nearest-rank percentiles over recent latencies', () => {
    const m = new ModelMetrics();
    for (let i = 1; i <= 100; i++) m.record({ success: true, latencyMs: i }, undefined, i);
    expect(m.percentile(50)).toBe(50);
    expect(m.percentile(95)).toBe(95);
    expect(m.percentile(99)).toBe(99);
  });

  it('keeps fixed memory: only the last LATENCY_WINDOW latencies count, however many requests', () => {
    const m = new ModelMetrics();
    const arrays = () =>
      Object.values(m).filter((v) => ArrayBuffer.isView(v) || Array.isArray(v)) as unknown[];
    const before = arrays().map((a) => [a, (a as { length: number }).length]);
    for (let i = 0; i < 100_000; i++) m.record({ success: true, latencyMs: 1_000 }, 1, i);
    for (let i = 0; i < LATENCY_WINDOW; i++) m.record({ success: true, latencyMs: 10 }, 1, i);
    expect(m.percentile(99)).toBe(10);
    expect(m.requests).toBe(100_000 + LATENCY_WINDOW);
    // No per-request storage: the only array is the arena chunk holding the fixed ring.
    expect(before).toHaveLength(1);
    expect(arrays().map((a) => [a, (a as { length: number }).length])).toEqual(before);
  });

  it('keeps each model apart though they share an arena chunk', () => {
    const all = Array.from({ length: 200 }, () => new ModelMetrics());
    all.forEach((m, i) => {
      for (let k = 0; k <= i % 5; k++) m.record({ success: true, latencyMs: i, costUsd: 1 }, 1, i);
    });
    all[7]!.record({ success: false, latencyMs: 0 }, 0, 9);
    all.forEach((m, i) => {
      const failed = i === 7 ? 1 : 0;
      expect(m.snapshot()).toMatchObject({
        requests: (i % 5) + 1 + failed,
        failures: failed,
        totalCostUsd: (i % 5) + 1,
        latencyEwmaMs: i,
        latencyP50Ms: i,
        lastSuccessAt: i,
      });
    });
  });

  it('leaves the averages undefined until their first sample, and again after reset', () => {
    const m = new ModelMetrics();
    const empty = {
      latencyEwmaMs: undefined,
      timeToFirstTokenEwmaMs: undefined,
      tokensPerSecond: undefined,
      meanReward: undefined,
      lastSuccessAt: undefined,
      latencyP50Ms: undefined,
    };
    expect(m.snapshot()).toMatchObject(empty);
    // A failure adds no latency, speed or success time.
    m.record({ success: false, latencyMs: 9, outputTokens: 10 }, undefined, 5);
    expect(m.snapshot()).toMatchObject({ ...empty, requests: 1, failures: 1 });
    m.record({ success: true, latencyMs: 300 }, 1, 7);
    expect(m.snapshot()).toMatchObject({
      latencyEwmaMs: 300,
      timeToFirstTokenEwmaMs: undefined,
      tokensPerSecond: undefined,
      lastSuccessAt: 7,
      meanReward: 1,
    });
    m.record({ success: true, latencyMs: 200, timeToFirstTokenMs: 100, outputTokens: 50 }, 0, 8);
    expect(m.latencyEwmaMs).toBeCloseTo(280);
    expect(m.timeToFirstTokenEwmaMs).toBe(100);
    expect(m.tokensPerSecond).toBe(500);
    m.record({ success: true, latencyMs: 200, timeToFirstTokenMs: 50, outputTokens: 50 }, 0, 9);
    expect(m.timeToFirstTokenEwmaMs).toBeCloseTo(90);
    expect(m.tokensPerSecond).toBeCloseTo(500 + 0.2 * (50_000 / 150 - 500));
    m.reset();
    expect(m.snapshot()).toMatchObject({
      ...empty,
      requests: 0,
      successes: 0,
      failures: 0,
      totalInputTokens: 0,
      totalOutputTokens: 0,
      totalCostUsd: 0,
      lastError: undefined,
    });
    m.record({ success: true, latencyMs: 40 }, undefined, 10);
    expect(m.latencyEwmaMs).toBe(40);
    expect(m.percentile(50)).toBe(40);
  });
});
