import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ModelMetrics } from './model-metrics.js';

/** A full collection, made available in this process for the test. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The places (chunk and offset) of metrics that are recorded into and then dropped. */
function usedAndDropped(count: number): { data: Float64Array; figures: number }[] {
  const places: { data: Float64Array; figures: number }[] = [];
  for (let i = 0; i < count; i++) {
    const m = new ModelMetrics();
    m.record({ success: true, latencyMs: 99, outputTokens: 10, costUsd: 1 }, 1, 5);
    const { data, figures } = ModelMetrics.placeOf(m);
    places.push({ data, figures });
  }
  return places;
}

describe('the metrics arena', () => {
  it('hands the place of collected metrics to new ones, starting from nothing', async () => {
    const dropped = usedAndDropped(200);
    for (let round = 0; round < 10; round++) {
      collect();
      // Finalizers run after the collection, in a later task.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const fresh = Array.from({ length: 200 }, () => new ModelMetrics());
    const reused = fresh.filter((m) => {
      const place = ModelMetrics.placeOf(m);
      return dropped.some((d) => d.data === place.data && d.figures === place.figures);
    });
    expect(reused.length).toBeGreaterThan(0);
    for (const m of reused) {
      expect(m.snapshot()).toMatchObject({
        requests: 0,
        totalCostUsd: 0,
        latencyEwmaMs: undefined,
        tokensPerSecond: undefined,
        latencyP50Ms: undefined,
        lastSuccessAt: undefined,
      });
    }
  });
});
