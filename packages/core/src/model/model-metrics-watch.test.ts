import { describe, expect, it } from 'vitest';
import { ModelMetrics } from './model-metrics.js';

describe('ModelMetrics.watch', () => {
  it('tells every watcher after each success, failure and reset, until unwatched', () => {
    const metrics = new ModelMetrics();
    const seen: string[] = [];
    const stopA = metrics.watch(() => seen.push(`a:${metrics.requests}`));
    metrics.watch(() => seen.push(`b:${metrics.latencyEwmaMs}`));
    metrics.record({ success: true, latencyMs: 40 }, 1, 0);
    metrics.record({ success: false, latencyMs: 0, error: { code: 'x', message: 'y' } }, 0, 1);
    stopA();
    metrics.reset();
    expect(seen).toEqual(['a:1', 'b:40', 'a:2', 'b:40', 'b:undefined']);
  });

  it('lets a watcher unwatch while being notified without skipping the next one', () => {
    const metrics = new ModelMetrics();
    let calls = 0;
    const stop = metrics.watch(() => stop());
    metrics.watch(() => calls++);
    metrics.record({ success: true, latencyMs: 1 }, undefined, 0);
    metrics.record({ success: true, latencyMs: 1 }, undefined, 0);
    expect(calls).toBe(2);
  });

  it('refuses what is not a function', () => {
    expect(() => new ModelMetrics().watch('x' as unknown as () => void)).toThrow(
      /takes a function/,
    );
  });
});
