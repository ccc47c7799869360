import { describe, expect, it } from 'vitest';
import { describeStoreBehaviour, usageRecord } from './__tests__/store-behaviour.js';
import { createMemoryStore } from './memory-store.js';

describeStoreBehaviour('memory', async () => {
  let offsetMs = 0;
  const store = createMemoryStore({ now: () => new Date(Date.now() + offsetMs) });
  return {
    store,
    async ageClaims(_batchId, ms) {
      offsetMs += ms;
    },
    async feedbackCount(requestId) {
      return store.feedbackRecords().filter((f) => f.requestId === requestId).length;
    },
    close: () => store.close(),
  };
});

describe('memory store bounds', () => {
  it('keeps at most maxRecords usage records, dropping the oldest', async () => {
    const store = createMemoryStore({ maxRecords: 3 });
    for (let i = 1; i <= 5; i++) store.usage.record(usageRecord({ requestId: `r${i}` }));
    const kept = await store.usage.query({ limit: 100 });
    expect(kept.map((r) => r.requestId).sort()).toEqual(['r3', 'r4', 'r5']);
    expect(store.usage.outboxStats().written).toBe(5);
  });

  it('keeps at most maxRecords feedback records', async () => {
    const store = createMemoryStore({ maxRecords: 10 });
    for (let i = 0; i < 25; i++)
      await store.feedback.record({
        requestId: `f${i}`,
        user: null,
        model: 'm',
        score: 1,
        comment: null,
      });
    const kept = store.feedbackRecords();
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.at(-1)?.requestId).toBe('f24');
  });

  it('refuses a bound that is not a whole number above zero, naming it', () => {
    expect(() => createMemoryStore({ maxRecords: 0 })).toThrow(/maxRecords/);
    expect(() => createMemoryStore({ maxRecords: 1.5 })).toThrow(/maxRecords/);
  });
});
