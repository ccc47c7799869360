import { ManualClock, RateLimiter } from '@orchestrator/core';
import { counterStoreCases } from '@orchestrator/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUp,
  client,
  noRedis,
  ready,
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

  // Core's CounterStore contract, as the memory store runs it (fewer randomized rounds: each is a round trip).
  for (const c of counterStoreCases(make, { randomRounds: 1_500 })) it(c.name, c.run);

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

  it('rejects invalid options', () => {
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
