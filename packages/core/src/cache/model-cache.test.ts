import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import { ManualClock } from '../util/clock.js';
import type { CacheStore } from './cache-store.js';
import { type CachedEntry, ModelCache } from './model-cache.js';

const request: ChatRequest = {
  messages: [{ role: 'user', content: 'Summarize the plot of Hamlet.' }],
};
const response: ChatResponse = {
  model: 'm',
  provider: 'p',
  content: 'A prince avenges his father.',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 6 },
  costUsd: 0.0001,
  latencyMs: 120,
  warnings: [],
};

function failingStore(behaviour: 'throw' | 'hang'): CacheStore<CachedEntry<ChatResponse>> {
  const act = <T>(): Promise<T> =>
    behaviour === 'throw'
      ? Promise.reject(new Error('connection refused'))
      : new Promise<T>(() => {});
  return {
    get: () => act(),
    set: () => act(),
    delete: () => act(),
    clear: () => act(),
    size: () => act(),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ModelCache', () => {
  it('misses, stores, then hits, and keeps statistics', async () => {
    const clock = new ManualClock(10_000);
    const cache = new ModelCache({ clock });
    const key = cache.keyFor({ request, model: 'm', tenant: 'alice' })!;
    expect(await cache.get(key)).toBeUndefined();
    expect(await cache.set(key, response)).toBe(true);
    clock.advance(250);
    const hit = await cache.get(key);
    expect(hit?.value).toEqual(response);
    expect(hit?.ageMs).toBe(250);
    expect(await cache.stats()).toEqual({
      hits: 1,
      misses: 1,
      hitRate: 0.5,
      sets: 1,
      errors: 0,
      timeouts: 0,
      evictions: 0,
      size: 1,
    });
  });

  it('never shares an entry between two tenants with the same prompt', async () => {
    const cache = new ModelCache();
    const alice = cache.keyFor({ request, model: 'm', tenant: 'alice' })!;
    const bob = cache.keyFor({ request, model: 'm', tenant: 'bob' })!;
    await cache.set(alice, response);
    expect(await cache.get(bob)).toBeUndefined();
    expect((await cache.get(alice))?.value.content).toBe(response.content);
  });

  it('shares entries across tenants only when configured to', async () => {
    const cache = new ModelCache({ shareAcrossTenants: true });
    await cache.set(cache.keyFor({ request, model: 'm', tenant: 'alice' })!, response);
    expect(await cache.get(cache.keyFor({ request, model: 'm', tenant: 'bob' })!)).toBeDefined();
  });

  it('expires entries after the TTL and honours a per-entry TTL', async () => {
    const clock = new ManualClock(0);
    const cache = new ModelCache({ clock, ttlMs: 1_000 });
    await cache.set('a', response);
    await cache.set('b', response, 5_000);
    clock.advance(1_001);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeDefined();
  });

  it('is bounded by maxEntries and reports evictions', async () => {
    const cache = new ModelCache({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) await cache.set(k, response);
    const stats = await cache.stats();
    expect(stats.size).toBe(3);
    expect(stats.evictions).toBe(2);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('treats a throwing store as a miss and never throws', async () => {
    const onError = vi.fn(() => {
      throw new Error('listener bug');
    });
    const cache = new ModelCache({ store: failingStore('throw'), onError });
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.set('k', response)).toBe(false);
    expect(await cache.delete('k')).toBe(false);
    await cache.clear();
    const stats = await cache.stats();
    expect(stats).toMatchObject({ hits: 0, misses: 1, sets: 0, errors: 5, timeouts: 0 });
    expect(stats.size).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.any(Error), 'get');
  });

  it('times out a frozen store quickly and counts a miss', async () => {
    vi.useFakeTimers();
    const cache = new ModelCache({ store: failingStore('hang'), timeoutMs: 30 });
    const lookup = cache.get('k');
    const write = cache.set('k', response);
    await vi.advanceTimersByTimeAsync(30);
    expect(await lookup).toBeUndefined();
    expect(await write).toBe(false);
    const pendingStats = cache.stats();
    await vi.advanceTimersByTimeAsync(30);
    expect(await pendingStats).toMatchObject({ misses: 1, errors: 3, timeouts: 3 });
  });

  it('resets counters without dropping entries', async () => {
    const cache = new ModelCache();
    await cache.set('k', response);
    await cache.get('k');
    cache.resetStats();
    expect(await cache.stats()).toMatchObject({ hits: 0, misses: 0, sets: 0, size: 1 });
  });

  it('answers a memory store synchronously, with the same hits, misses and TTL as get()', () => {
    const clock = new ManualClock(1_000);
    const cache = new ModelCache<ChatResponse>({ clock, ttlMs: 50 });
    expect(cache.lookup('k')).toBeUndefined();
    expect(cache.store('k', response)).toBe(true);
    const hit = cache.lookup('k');
    expect(hit).not.toBeInstanceOf(Promise);
    expect(hit).toMatchObject({ value: response, storedAt: 1_000, ageMs: 0 });
    clock.advance(51);
    expect(cache.lookup('k')).toBeUndefined();
    return cache.stats().then((stats) => {
      expect(stats).toMatchObject({ hits: 1, misses: 2, sets: 1 });
    });
  });

  it('keeps an async store behind a promise, and a throwing synchronous store is a miss', async () => {
    const slow = new ModelCache<ChatResponse>({ store: failingStore('throw') });
    const pending = slow.lookup('k');
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toBeUndefined();
    const errors: string[] = [];
    const broken = new ModelCache<ChatResponse>({
      store: {
        ...failingStore('throw'),
        getSync: () => {
          throw new Error('boom');
        },
        setSync: () => {
          throw new Error('boom');
        },
      } as CacheStore<CachedEntry<ChatResponse>>,
      onError: (_error, operation) => errors.push(operation),
    });
    expect(broken.lookup('k')).toBeUndefined();
    expect(broken.store('k', response)).toBe(false);
    expect(errors).toEqual(['get', 'set']);
  });
});
