import { describe, expect, it } from 'vitest';
import { counterStoreCases } from '../testing/counter-store-cases.js';
import { ManualClock } from '../util/clock.js';
import { MemoryCounterStore } from './memory-counter-store.js';

const W = 60_000;

describe('MemoryCounterStore', () => {
  // The CounterStore contract; the Redis store runs the same cases.
  for (const c of counterStoreCases(async (clock) => new MemoryCounterStore({ clock }))) {
    it(c.name, c.run);
  }

  it('drops expired keys so memory stays bounded', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryCounterStore({ clock });
    for (let i = 0; i < 1_000; i++) await store.consume(`user-${i}`, 1, 10, W);
    expect(store.keyCount).toBe(1_000);
    clock.advance(2 * W);
    for (let i = 0; i < 600; i++) await store.consume('busy', 0, 10, W);
    expect(store.keyCount).toBeLessThanOrEqual(1);
  });

  it('rejects invalid options', () => {
    expect(() => new MemoryCounterStore({ slotsPerWindow: 0 })).toThrow(RangeError);
  });
});
