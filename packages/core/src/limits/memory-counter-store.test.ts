import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { MemoryCounterStore } from './memory-counter-store.js';

const W = 60_000;

/** Deterministic PRNG (mulberry32) so the randomized test is reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('MemoryCounterStore', () => {
  it('admits only whole amounts that fit and counts nothing when refusing', async () => {
    const store = new MemoryCounterStore({ clock: new ManualClock(0) });
    expect(await store.consume('k', 7, 10, W)).toMatchObject({
      allowed: true,
      count: 7,
      remaining: 3,
    });
    expect(await store.consume('k', 5, 10, W)).toMatchObject({
      allowed: false,
      count: 7,
      remaining: 3,
    });
    expect(await store.consume('k', 3, 10, W)).toMatchObject({
      allowed: true,
      count: 10,
      remaining: 0,
    });
    expect((await store.peek('k', W)).count).toBe(10);
  });

  it('slides: usage leaves one window after its slot ends, and retryAfter says when', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryCounterStore({ clock });
    await store.consume('k', 10, 10, W);
    clock.set(30_000);
    const refused = await store.consume('k', 1, 10, W);
    // Counted in slot [0, 1000): it counts until 1000 + 60000.
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 31_000, resetAt: 61_000 });
    clock.set(60_999);
    expect((await store.consume('k', 1, 10, W)).allowed).toBe(false);
    clock.set(61_000);
    expect((await store.consume('k', 1, 10, W)).allowed).toBe(true);
  });

  it('reports Infinity when the amount alone exceeds the limit', async () => {
    const store = new MemoryCounterStore({ clock: new ManualClock(0) });
    expect((await store.consume('k', 11, 10, W)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('never lets any trailing window exceed the limit (randomized, seeded)', async () => {
    const random = rng(42);
    const clock = new ManualClock(1_700_000_000_000);
    const store = new MemoryCounterStore({ clock });
    const admitted: { t: number; n: number }[] = [];
    const limit = 1_000;
    for (let i = 0; i < 5_000; i++) {
      clock.advance(Math.floor(random() * 200));
      const n = 1 + Math.floor(random() * 120);
      if ((await store.consume('tpm', n, limit, W)).allowed) admitted.push({ t: clock.now(), n });
    }
    let start = 0;
    let sum = 0;
    for (const event of admitted) {
      sum += event.n;
      while (admitted[start]!.t <= event.t - W) sum -= admitted[start++]!.n;
      expect(sum).toBeLessThanOrEqual(limit);
    }
    // And it is not uselessly strict: over ~8 minutes most of the capacity was used.
    const total = admitted.reduce((s, e) => s + e.n, 0);
    expect(total).toBeGreaterThan(limit * 6);
  });

  it('refunds into the slot the usage was counted in', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryCounterStore({ clock });
    await store.consume('k', 8, 10, W);
    clock.set(20_000);
    await store.consume('k', 2, 10, W);
    await store.refund('k', 5, W, 0);
    expect((await store.peek('k', W)).count).toBe(5);
    // The refunded slot keeps its 3 units until 61 s; the 2 units from 20 s stay until 81 s.
    clock.set(61_000);
    expect((await store.peek('k', W)).count).toBe(2);
  });

  it('refunds nothing once the slot has left the window, and never goes below zero', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryCounterStore({ clock });
    await store.consume('k', 4, 10, W);
    clock.set(70_000);
    await store.consume('k', 3, 10, W);
    await store.refund('k', 4, W, 0);
    expect((await store.peek('k', W)).count).toBe(3);
    await store.refund('k', 100, W);
    expect((await store.peek('k', W)).count).toBe(0);
  });

  it('records usage unconditionally with an infinite limit', async () => {
    const store = new MemoryCounterStore({ clock: new ManualClock(0) });
    await store.consume('k', 10, 10, W);
    expect((await store.consume('k', 50, Number.POSITIVE_INFINITY, W)).allowed).toBe(true);
    expect((await store.peek('k', W)).count).toBe(60);
  });

  it('drops expired keys so memory stays bounded', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryCounterStore({ clock });
    for (let i = 0; i < 1_000; i++) await store.consume(`user-${i}`, 1, 10, W);
    expect(store.keyCount).toBe(1_000);
    clock.advance(2 * W);
    for (let i = 0; i < 600; i++) await store.consume('busy', 0, 10, W);
    expect(store.keyCount).toBeLessThanOrEqual(1);
  });

  it('rejects invalid arguments', async () => {
    const store = new MemoryCounterStore();
    await expect(store.consume('k', -1, 10, W)).rejects.toThrow(RangeError);
    await expect(store.consume('k', 1, 10, 0)).rejects.toThrow(RangeError);
    expect(() => new MemoryCounterStore({ slotsPerWindow: 0 })).toThrow(RangeError);
  });
});
