import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import type { SyncCacheStore } from './cache-store.js';

export interface MemoryCacheStoreOptions {
  /** Most entries held; the least recently used one is evicted beyond it. Default 1,000. */
  readonly maxEntries?: number;
  /** TTL used when `set` is given a non-positive or infinite one. Default: none (until evicted). */
  readonly defaultTtlMs?: number;
  /** Time source for expiry; tests pass a `ManualClock`. Default: `performance.now()`. */
  readonly clock?: Clock;
}

export const DEFAULT_MAX_ENTRIES = 1_000;

/** `set` options without a TTL, shared rather than allocated per call. */
const NO_TTL = {} as const;

/**
 * An in-process LRU with per-entry TTL, on `lru-cache`. Expired entries are
 * dropped when read or when the LRU bound pushes them out, so memory stays
 * bounded by `maxEntries` without any timer keeping the process alive.
 */
export class MemoryCacheStore<V extends NonNullable<unknown> = NonNullable<unknown>>
  implements SyncCacheStore<V>
{
  readonly #lru: LRUCache<string, V>;
  readonly #defaultTtlMs: number;
  #evictions = 0;

  constructor(options: MemoryCacheStoreOptions = {}) {
    const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${String(max)}`);
    }
    this.#defaultTtlMs = options.defaultTtlMs ?? 0;
    const clock = options.clock;
    this.#lru = new LRUCache<string, V>({
      max,
      ttlAutopurge: false,
      // lru-cache caches "now" for ttlResolution ms behind a timer; with an
      // injected clock we read it every time so a ManualClock is exact. The
      // +1 matters: lru-cache reads a start time of 0 as "no TTL", and a
      // ManualClock often starts at 0.
      ...(clock === undefined ? {} : { perf: { now: () => clock.now() + 1 }, ttlResolution: 0 }),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.#evictions++;
      },
    });
  }

  async get(key: string): Promise<V | undefined> {
    return this.getSync(key);
  }

  async set(key: string, value: V, ttlMs: number): Promise<void> {
    this.setSync(key, value, ttlMs);
  }

  getSync(key: string): V | undefined {
    return this.#lru.get(key);
  }

  setSync(key: string, value: V, ttlMs: number): void {
    const ttl = ttlMs > 0 && Number.isFinite(ttlMs) ? ttlMs : this.#defaultTtlMs;
    this.#lru.set(key, value, ttl > 0 && Number.isFinite(ttl) ? { ttl } : NO_TTL);
  }

  async delete(key: string): Promise<boolean> {
    return this.#lru.delete(key);
  }

  async clear(): Promise<void> {
    this.#lru.clear();
  }

  async size(): Promise<number> {
    return this.#lru.size;
  }

  evictions(): number {
    return this.#evictions;
  }
}
