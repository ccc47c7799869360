/**
 * Where cached values live. Every method is async so a shared backend
 * (Redis, in `@orchestrator/redis`) fits behind the same interface as the
 * in-memory one. Implementations may throw or hang; `ModelCache` guards every
 * call with a timeout and treats a failure as a miss.
 */
export interface CacheStore<V = unknown> {
  /** The value under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<V | undefined>;
  /** Stores `value` for `ttlMs` milliseconds (a non-positive or infinite TTL means "until evicted"). */
  set(key: string, value: V, ttlMs: number): Promise<void>;
  /** Removes `key`; true when something was removed. */
  delete(key: string): Promise<boolean>;
  /** Removes every entry of this store. */
  clear(): Promise<void>;
  /** Number of entries currently held (may count expired entries not yet purged). */
  size(): Promise<number>;
  /**
   * Entries pushed out by the size bound since creation, when the backend can
   * observe them (a shared Redis evicting under `maxmemory` cannot).
   */
  evictions?(): number;
}

/**
 * A store that answers in-process, synchronously (`MemoryCacheStore`). When a
 * store has these, `ModelCache.lookup` and `ModelCache.store` call them
 * directly: no promise, no timeout race (an in-process map cannot stall), so a
 * memory cache hit costs no microtask hops. They must behave exactly as `get`
 * and `set` do.
 */
export interface SyncCacheStore<V = unknown> extends CacheStore<V> {
  getSync(key: string): V | undefined;
  setSync(key: string, value: V, ttlMs: number): void;
}

/** True when `store` offers the synchronous pair of `SyncCacheStore`. */
export function isSyncCacheStore<V>(store: CacheStore<V>): store is SyncCacheStore<V> {
  const s = store as Partial<SyncCacheStore<V>>;
  return typeof s.getSync === 'function' && typeof s.setSync === 'function';
}
