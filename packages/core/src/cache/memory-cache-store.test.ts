import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { MemoryCacheStore } from './memory-cache-store.js';

describe('MemoryCacheStore', () => {
  it('gets, sets, deletes and clears', async () => {
    const store = new MemoryCacheStore<{ n: number }>();
    await store.set('a', { n: 1 }, 0);
    expect(await store.get('a')).toEqual({ n: 1 });
    expect(await store.size()).toBe(1);
    expect(await store.delete('a')).toBe(true);
    expect(await store.get('a')).toBeUndefined();
    await store.set('b', { n: 2 }, 0);
    await store.clear();
    expect(await store.size()).toBe(0);
  });

  it('expires entries after their TTL', async () => {
    const clock = new ManualClock(1_000);
    const store = new MemoryCacheStore<string>({ clock });
    await store.set('a', 'x', 100);
    clock.advance(99);
    expect(await store.get('a')).toBe('x');
    clock.advance(2);
    expect(await store.get('a')).toBeUndefined();
  });

  it('applies the default TTL when none is given', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryCacheStore<string>({ clock, defaultTtlMs: 50 });
    await store.set('a', 'x', 0);
    clock.advance(51);
    expect(await store.get('a')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond maxEntries and counts it', async () => {
    const store = new MemoryCacheStore<string>({ maxEntries: 2 });
    await store.set('a', '1', 0);
    await store.set('b', '2', 0);
    await store.get('a');
    await store.set('c', '3', 0);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
    expect(store.evictions()).toBe(1);
    expect(await store.size()).toBe(2);
  });

  it('rejects a nonsensical size bound', () => {
    expect(() => new MemoryCacheStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});
