import { ManualClock, RateLimiter } from '@orchestrator/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUp,
  client,
  noRedis,
  ready,
  rng,
  uniquePrefix,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { RedisScript } from './redis-script.js';

const W = 60_000;
const prefix = uniquePrefix('counter');
warnIfSkipped('RedisCounterStore');

describe.skipIf(noRedis)('RedisCounterStore', () => {
  afterAll(() => cleanUp(prefix));

  let n = 0;
  /** A fresh store on its own key space, as core's tests use a fresh MemoryCounterStore. */
  const make = async (clock = new ManualClock(0)) =>
    new RedisCounterStore({
      client: await ready(client()),
      keyPrefix: `${prefix}${n++}:`,
      clock,
      timeoutMs: 2_000,
    });

  // The cases below are core's MemoryCounterStore behaviour cases, run against Redis.
  it('admits only whole amounts that fit and counts nothing when refusing', async () => {
    const store = await make();
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
    const store = await make(clock);
    await store.consume('k', 10, 10, W);
    clock.set(30_000);
    const refused = await store.consume('k', 1, 10, W);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 31_000, resetAt: 61_000 });
    clock.set(60_999);
    expect((await store.consume('k', 1, 10, W)).allowed).toBe(false);
    clock.set(61_000);
    expect((await store.consume('k', 1, 10, W)).allowed).toBe(true);
  });

  it('reports Infinity when the amount alone exceeds the limit', async () => {
    const store = await make();
    expect((await store.consume('k', 11, 10, W)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('never lets any trailing window exceed the limit (randomized, seeded)', async () => {
    const random = rng(42);
    const clock = new ManualClock(1_700_000_000_000);
    const store = await make(clock);
    const admitted: { t: number; n: number }[] = [];
    const limit = 1_000;
    for (let i = 0; i < 1_500; i++) {
      clock.advance(Math.floor(random() * 200));
      const amount = 1 + Math.floor(random() * 120);
      if ((await store.consume('tpm', amount, limit, W)).allowed)
        admitted.push({ t: clock.now(), n: amount });
    }
    let start = 0;
    let sum = 0;
    for (const event of admitted) {
      sum += event.n;
      while (admitted[start]!.t <= event.t - W) sum -= admitted[start++]!.n;
      expect(sum).toBeLessThanOrEqual(limit);
    }
    const total = admitted.reduce((s, e) => s + e.n, 0);
    expect(total).toBeGreaterThan(limit * 2);
  });

  it('refunds into the slot the usage was counted in', async () => {
    const clock = new ManualClock(0);
    const store = await make(clock);
    await store.consume('k', 8, 10, W);
    clock.set(20_000);
    await store.consume('k', 2, 10, W);
    await store.refund('k', 5, W, 0);
    expect((await store.peek('k', W)).count).toBe(5);
    clock.set(61_000);
    expect((await store.peek('k', W)).count).toBe(2);
  });

  it('refunds nothing once the slot has left the window, and never goes below zero', async () => {
    const clock = new ManualClock(0);
    const store = await make(clock);
    await store.consume('k', 4, 10, W);
    clock.set(70_000);
    await store.consume('k', 3, 10, W);
    await store.refund('k', 4, W, 0);
    expect((await store.peek('k', W)).count).toBe(3);
    await store.refund('k', 100, W);
    expect((await store.peek('k', W)).count).toBe(0);
  });

  it('records usage unconditionally with an infinite limit', async () => {
    const store = await make();
    await store.consume('k', 10, 10, W);
    expect((await store.consume('k', 50, Number.POSITIVE_INFINITY, W)).allowed).toBe(true);
    expect((await store.peek('k', W)).count).toBe(60);
  });

  it('lets Redis drop keys once their last slot has left the window', async () => {
    const clock = new ManualClock(Date.now());
    const store = await make(clock);
    const c = await ready(client());
    await store.consume('k', 1, 10, W);
    const ttl = await c.pttl(`${store.keyPrefix}${W}|k`);
    // Expires when the slot's end is a window old: at most one window plus one slot away.
    expect(ttl).toBeGreaterThan(W - 1_000);
    expect(ttl).toBeLessThanOrEqual(W + 1_000);
  });

  it('rejects invalid arguments', async () => {
    const store = await make();
    await expect(store.consume('k', -1, 10, W)).rejects.toThrow(RangeError);
    await expect(store.consume('k', 1, 10, 0)).rejects.toThrow(RangeError);
    expect(() => new RedisCounterStore({ client: client(), slotsPerWindow: 0 })).toThrow(
      RangeError,
    );
  });

  it('holds a limit exactly under concurrent consumers on several connections', async () => {
    const keyPrefix = `${prefix}race:`;
    // Five connections play five gateway instances; each fires 60 requests at once.
    const clients = await Promise.all(Array.from({ length: 5 }, () => ready(client())));
    const stores = clients.map(
      (c) => new RedisCounterStore({ client: c, keyPrefix, timeoutMs: 5_000 }),
    );
    const results = await Promise.all(
      stores.flatMap((store) => Array.from({ length: 60 }, () => store.consume('rpm', 1, 50, W))),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    expect(Math.max(...results.map((r) => r.count))).toBe(50);
    expect((await stores[0]!.peek('rpm', W)).count).toBe(50);
  });

  it("keeps core's RateLimiter exact across instances", async () => {
    const keyPrefix = `${prefix}limiter:`;
    const clients = await Promise.all(Array.from({ length: 3 }, () => ready(client())));
    const limiters = clients.map(
      (c) =>
        new RateLimiter({
          store: new RedisCounterStore({ client: c, keyPrefix, timeoutMs: 5_000 }),
          perModel: { rpm: 10 },
          timeoutMs: 5_000,
        }),
    );
    const decisions = await Promise.all(
      limiters.flatMap((l) =>
        Array.from({ length: 12 }, () => l.check({ model: 'm', estimatedTokens: 10 })),
      ),
    );
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(10);
    expect(allowed.every((d) => d.degraded === undefined)).toBe(true);
    const refused = decisions.find((d) => !d.allowed);
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
  });

  it('falls back to EVAL when Redis does not know the script (NOSCRIPT)', async () => {
    const c = await ready(client());
    const script = new RedisScript(`return ARGV[1] -- ${prefix}`);
    expect(await c.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(c, [], ['hello'])).toBe('hello');
    expect(await c.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(c, [], ['again'])).toBe('again');
  });
});
