import type { ChatResponse } from '../types/chat.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type CacheKeyInput, cacheKeyFor } from './cache-key.js';
import { type CacheStore, isSyncCacheStore, type SyncCacheStore } from './cache-store.js';
import { MemoryCacheStore } from './memory-cache-store.js';
import { StoreTimeoutError, withTimeout } from './with-timeout.js';

export interface ModelCacheOptions<V> {
  /** Backend; default a `MemoryCacheStore` bounded by `maxEntries`. */
  readonly store?: CacheStore<CachedEntry<V>>;
  /** Time to live of an entry. Default one hour. */
  readonly ttlMs?: number;
  /** Size bound of the default memory store. Default 1,000 entries. */
  readonly maxEntries?: number;
  /**
   * Let tenants share entries. Off by default: an answer belongs to the
   * identity that asked, and must not leak to another tenant.
   */
  readonly shareAcrossTenants?: boolean;
  /** Budget of each store operation; a slower one counts as a miss. Default 50 ms. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /** Told about store failures and timeouts (which never reach the caller). */
  readonly onError?: (
    error: unknown,
    operation: 'get' | 'set' | 'delete' | 'clear' | 'size',
  ) => void;
}

/** What the store holds: the value and when it was written. */
export interface CachedEntry<V> {
  readonly value: V;
  readonly storedAt: number;
}

export interface CacheHit<V> {
  readonly value: V;
  readonly storedAt: number;
  readonly ageMs: number;
}

export interface ModelCacheStats {
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses); 0 before any lookup. */
  readonly hitRate: number;
  readonly sets: number;
  /** Store operations that threw or timed out (each lookup among them counted as a miss). */
  readonly errors: number;
  readonly timeouts: number;
  /** LRU evictions, when the store can observe them. */
  readonly evictions?: number;
  /** Entries held, when the store answered in time. */
  readonly size?: number;
}

export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_CACHE_TIMEOUT_MS = 50;

/**
 * Exact-match response cache. Keys cover the normalized request, the model,
 * extra parameters and the tenant; a store that fails or stalls degrades to a
 * miss and never fails the request.
 */
export class ModelCache<V = ChatResponse> {
  readonly ttlMs: number;
  readonly shareAcrossTenants: boolean;
  readonly timeoutMs: number;
  readonly #store: CacheStore<CachedEntry<V>>;
  /** The store again when it answers synchronously (see `SyncCacheStore`). */
  readonly #sync: SyncCacheStore<CachedEntry<V>> | undefined;
  readonly #clock: Clock;
  readonly #onError: ModelCacheOptions<V>['onError'];
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #errors = 0;
  #timeouts = 0;

  constructor(options: ModelCacheOptions<V> = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.shareAcrossTenants = options.shareAcrossTenants ?? false;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onError;
    this.#store =
      options.store ??
      new MemoryCacheStore<CachedEntry<V>>({
        ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      });
    this.#sync = isSyncCacheStore(this.#store) ? this.#store : undefined;
  }

  /** The key for a request; `undefined` when the request cannot be cached (see `cacheKeyFor`). */
  keyFor(input: CacheKeyInput): string | undefined {
    return cacheKeyFor(input, this.shareAcrossTenants);
  }

  /** The cached value, or `undefined` on a miss, a store failure or a timeout. */
  async get(key: string): Promise<CacheHit<V> | undefined> {
    return this.lookup(key);
  }

  /**
   * `get`, but answered synchronously when the store is synchronous (the
   * memory store): the engine's hot path awaits only a real promise.
   */
  lookup(key: string): CacheHit<V> | undefined | Promise<CacheHit<V> | undefined> {
    const sync = this.#sync;
    if (sync === undefined) return this.#getAsync(key);
    let entry: CachedEntry<V> | undefined;
    try {
      entry = sync.getSync(key);
    } catch (error) {
      this.#fail(error, 'get');
      entry = undefined;
    }
    return this.#hit(entry);
  }

  async #getAsync(key: string): Promise<CacheHit<V> | undefined> {
    let entry: CachedEntry<V> | undefined;
    try {
      entry = await withTimeout(this.#store.get(key), this.timeoutMs, 'cache get');
    } catch (error) {
      this.#fail(error, 'get');
      entry = undefined;
    }
    return this.#hit(entry);
  }

  #hit(entry: CachedEntry<V> | undefined): CacheHit<V> | undefined {
    if (entry === undefined || entry === null || typeof entry !== 'object' || !('value' in entry)) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    const now = this.#clock.now();
    const storedAt = typeof entry.storedAt === 'number' ? entry.storedAt : now;
    return { value: entry.value, storedAt, ageMs: Math.max(0, now - storedAt) };
  }

  /** Stores `value`; false when the store failed (the caller carries on regardless). */
  async set(key: string, value: V, ttlMs: number = this.ttlMs): Promise<boolean> {
    return this.store(key, value, ttlMs);
  }

  /** `set`, synchronously when the store is synchronous (see `lookup`). */
  store(key: string, value: V, ttlMs: number = this.ttlMs): boolean | Promise<boolean> {
    const sync = this.#sync;
    if (sync === undefined) return this.#setAsync(key, value, ttlMs);
    try {
      sync.setSync(key, { value, storedAt: this.#clock.now() }, ttlMs);
      this.#sets++;
      return true;
    } catch (error) {
      this.#fail(error, 'set');
      return false;
    }
  }

  async #setAsync(key: string, value: V, ttlMs: number): Promise<boolean> {
    try {
      await withTimeout(
        this.#store.set(key, { value, storedAt: this.#clock.now() }, ttlMs),
        this.timeoutMs,
        'cache set',
      );
      this.#sets++;
      return true;
    } catch (error) {
      this.#fail(error, 'set');
      return false;
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return await withTimeout(this.#store.delete(key), this.timeoutMs, 'cache delete');
    } catch (error) {
      this.#fail(error, 'delete');
      return false;
    }
  }

  async clear(): Promise<void> {
    try {
      await withTimeout(this.#store.clear(), this.timeoutMs, 'cache clear');
    } catch (error) {
      this.#fail(error, 'clear');
    }
  }

  async stats(): Promise<ModelCacheStats> {
    let size: number | undefined;
    try {
      size = await withTimeout(this.#store.size(), this.timeoutMs, 'cache size');
    } catch (error) {
      this.#fail(error, 'size');
    }
    const lookups = this.#hits + this.#misses;
    const evictions = this.#store.evictions?.();
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      sets: this.#sets,
      errors: this.#errors,
      timeouts: this.#timeouts,
      ...(evictions === undefined ? {} : { evictions }),
      ...(size === undefined ? {} : { size }),
    };
  }

  /** Zeroes the counters (not the entries). */
  resetStats(): void {
    this.#hits = this.#misses = this.#sets = this.#errors = this.#timeouts = 0;
  }

  #fail(error: unknown, operation: 'get' | 'set' | 'delete' | 'clear' | 'size'): void {
    this.#errors++;
    if (error instanceof StoreTimeoutError) this.#timeouts++;
    try {
      this.#onError?.(error, operation);
    } catch {
      // A faulty listener must not turn a cache miss into a failed request.
    }
  }
}
