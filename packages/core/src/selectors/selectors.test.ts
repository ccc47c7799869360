import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import { BalancedSelector } from './balanced-selector.js';
import { CostBasedSelector } from './cost-based-selector.js';
import { PerformanceSelector } from './performance-selector.js';

const ctx = { inputTokens: 1_000, outputTokens: 500, now: 0 };

function models() {
  return [
    new EchoModel({
      name: 'premium',
      capabilities: { qualityScore: 0.95, tokensPerSecond: 40, firstTokenLatencyMs: 800 },
      pricing: { inputPerMillion: 10, outputPerMillion: 30 },
    }),
    new EchoModel({
      name: 'budget',
      capabilities: { qualityScore: 0.55, tokensPerSecond: 200, firstTokenLatencyMs: 150 },
      pricing: { inputPerMillion: 0.1, outputPerMillion: 0.3 },
    }),
    new EchoModel({
      name: 'middle',
      capabilities: {
        qualityScore: 0.85,
        tokensPerSecond: 100,
        firstTokenLatencyMs: 300,
        qualityByTask: { code_generation: 0.97 },
      },
      pricing: { inputPerMillion: 1, outputPerMillion: 3 },
    }),
  ];
}

describe('CostBasedSelector', () => {
  it('picks the cheapest, breaking price ties by quality, and honours a quality floor', () => {
    const [premium, budget, middle] = models();
    expect(new CostBasedSelector().select([premium!, budget!, middle!], ctx).model.name).toBe(
      'budget',
    );
    const twin = new EchoModel({
      name: 'twin',
      capabilities: { qualityScore: 0.9 },
      pricing: budget!.pricing,
    });
    expect(new CostBasedSelector().select([budget!, twin], ctx).model.name).toBe('twin');
    expect(
      new CostBasedSelector({ minQuality: 0.8 }).select([premium!, budget!, middle!], ctx).model
        .name,
    ).toBe('middle');
  });
});

describe('PerformanceSelector', () => {
  it('uses declared priors before any traffic, then live metrics', () => {
    const list = models();
    expect(new PerformanceSelector().select(list, ctx).model.name).toBe('budget');
    expect(new PerformanceSelector({ metric: 'throughput' }).select(list, ctx).model.name).toBe(
      'budget',
    );
    // Live traffic shows "budget" is actually slow and flaky.
    for (let i = 0; i < 10; i++) {
      list[1]!.metrics.record(
        { success: i % 2 === 0, latencyMs: 9_000, outputTokens: 100 },
        undefined,
        i,
      );
      list[2]!.metrics.record({ success: true, latencyMs: 400, outputTokens: 100 }, undefined, i);
    }
    expect(new PerformanceSelector().select(list, ctx).model.name).toBe('middle');
    expect(new PerformanceSelector({ metric: 'success' }).select(list, ctx).model.name).toBe(
      'middle',
    );
  });
});

describe('BalancedSelector', () => {
  it('moves with its weights', () => {
    const list = models();
    expect(
      new BalancedSelector({ cost: 1, speed: 0, quality: 0 }).select(list, ctx).model.name,
    ).toBe('budget');
    expect(
      new BalancedSelector({ cost: 0, speed: 0, quality: 1 }).select(list, ctx).model.name,
    ).toBe('premium');
    expect(new BalancedSelector().select(list, ctx).model.name).toBe('middle');
  });

  it('uses per-task quality', () => {
    const list = models();
    const quality = new BalancedSelector({ cost: 0, speed: 0, quality: 1 });
    expect(quality.select(list, { ...ctx, taskType: 'code_generation' }).model.name).toBe('middle');
  });

  it('rank() orders every candidate and explains each', () => {
    const ranked = new BalancedSelector().rank(models(), ctx);
    expect(ranked.map((s) => s.model.name)).toEqual(['middle', 'budget', 'premium']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    expect(ranked[0]!.reason).toMatch(/best balance/);
  });

  it('rejects nonsense weights', () => {
    expect(() => new BalancedSelector({ cost: -1 })).toThrow(/weight "cost"/);
    expect(() => new BalancedSelector({ cost: 0, speed: 0, quality: 0 })).toThrow(
      /at least one positive/,
    );
  });
});
