import { type CachedEntry, ManualClock, ModelCache } from '@orchestrator/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUp,
  client,
  FrozenServer,
  noRedis,
  ready,
  uniquePrefix,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { createRedisClient } from './create-redis-client.js';
import { RedisCacheStore } from './redis-cache-store.js';

const prefix = uniquePrefix('cache');
warnIfSkipped('RedisCacheStore');

describe.skipIf(noRedis)('RedisCacheStore', () => {
  afterAll(() => cleanUp(prefix));

  let n = 0;
  const make = async <V>(clock = new ManualClock(Date.now())) =>
    new RedisCacheStore<V>({
      client: await ready(client()),
      keyPrefix: `${prefix}${n++}:`,
      clock,
      timeoutMs: 2_000,
    });

  it('gets, sets, deletes and clears JSON values', async () => {
    const store = await make<{ n: number; s: string[] }>();
    await store.set('a', { n: 1, s: ['x'] }, 0);
    expect(await store.get('a')).toEqual({ n: 1, s: ['x'] });
    expect(await store.size()).toBe(1);
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.get('a')).toBeUndefined();
    await store.set('b', { n: 2, s: [] }, 0);
    await store.set('c', { n: 3, s: [] }, 0);
    await store.clear();
    expect(await store.size()).toBe(0);
    expect(await store.get('b')).toBeUndefined();
  });

  it('hands the TTL to Redis (PX) and counts only live entries', async () => {
    const clock = new ManualClock(Date.now());
    const store = await make<string>(clock);
    const c = await ready(client());
    await store.set('short', 'x', 1_500);
    await store.set('long', 'y', 60_000);
    const ttl = await c.pttl(`${store.keyPrefix}e:short`);
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_500);
    expect(await store.size()).toBe(2);
    // Redis expires the entry itself; the size index drops it by the same deadline.
    clock.advance(1_501);
    expect(await store.size()).toBe(1);
  });

  it('applies the default TTL when none is given', async () => {
    const c = await ready(client());
    const store = new RedisCacheStore<string>({
      client: c,
      keyPrefix: `${prefix}dflt:`,
      defaultTtlMs: 5_000,
    });
    await store.set('a', 'x', 0);
    const ttl = await c.pttl(`${prefix}dflt:e:a`);
    expect(ttl).toBeGreaterThan(4_000);
    await store.set('b', 'x', Number.POSITIVE_INFINITY);
    expect(await c.pttl(`${prefix}dflt:e:b`)).toBeGreaterThan(4_000);
  });

  it('treats a value it cannot parse as a miss and refuses values JSON cannot hold', async () => {
    const store = await make<unknown>();
    const c = await ready(client());
    await c.set(`${store.keyPrefix}e:bad`, '{not json');
    expect(await store.get('bad')).toBeUndefined();
    await expect(store.set('u', undefined, 0)).rejects.toThrow(TypeError);
  });

  it('shares entries between instances: one writes, another hits', async () => {
    const keyPrefix = `${prefix}shared:`;
    const [a, b] = await Promise.all([ready(client()), ready(client())]);
    const cacheA = new ModelCache<{ content: string }>({
      store: new RedisCacheStore({ client: a, keyPrefix }),
      timeoutMs: 2_000,
    });
    const cacheB = new ModelCache<{ content: string }>({
      store: new RedisCacheStore({ client: b, keyPrefix }),
      timeoutMs: 2_000,
    });
    expect(await cacheA.set('k', { content: 'hello' })).toBe(true);
    const hit = await cacheB.get('k');
    expect(hit?.value).toEqual({ content: 'hello' });
    expect((await cacheB.stats()).hits).toBe(1);
  });

  it('a frozen Redis makes ModelCache.get a miss within ~100 ms', async () => {
    const frozen = await new FrozenServer().start();
    const c = createRedisClient(frozen.url);
    try {
      const errors: unknown[] = [];
      const cache = new ModelCache<{ id: string }>({
        store: new RedisCacheStore<CachedEntry<{ id: string }>>({ client: c, keyPrefix: prefix }),
        onError: (e) => errors.push(e),
      });
      const started = performance.now();
      expect(await cache.get('anything')).toBeUndefined();
      expect(await cache.set('anything', { id: 'x' })).toBe(false);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(200);
      expect((await cache.stats()).misses).toBe(1);
      expect(errors.length).toBeGreaterThanOrEqual(2);
    } finally {
      c.disconnect();
      await frozen.close();
    }
  });
});
