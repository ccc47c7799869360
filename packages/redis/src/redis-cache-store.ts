import { type CacheStore, type Clock, systemClock } from '@orchestrator/core';
import type { Redis } from 'ioredis';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './create-redis-client.js';
import { RedisUnavailableError } from './redis-errors.js';
import { withRedisTimeout } from './with-redis-timeout.js';

export interface RedisCacheStoreOptions {
  /** A client from `createRedisClient` (fast failure); shared with the other stores is fine. */
  readonly client: Redis;
  /** Prefix of every key of this store. Default `orch:cache:`. */
  readonly keyPrefix?: string;
  /** Budget of each operation; a slower one rejects with `RedisTimeoutError`. Default 50 ms. */
  readonly timeoutMs?: number;
  /** Budget of `clear`, which walks the keyspace. Default 5,000 ms. */
  readonly clearTimeoutMs?: number;
  /** TTL used when `set` is given a non-positive or infinite one. Default: none. */
  readonly defaultTtlMs?: number;
  /** Time source of the size index only (Redis itself expires entries). */
  readonly clock?: Clock;
}

/**
 * `CacheStore` in Redis, shared by every gateway instance: a response cached
 * by one is a hit on the others. Values are JSON under `<prefix>e:<key>`
 * with a PX TTL, so Redis expires them itself. A sorted set `<prefix>index`
 * (member = key, score = expiry) makes `size()` exact and O(log n) without
 * scanning the keyspace; it is trimmed of expired members on every write.
 * Every operation rejects within `timeoutMs` with a typed error when Redis is
 * down or frozen; `ModelCache` turns that into a miss.
 */
export class RedisCacheStore<V = unknown> implements CacheStore<V> {
  readonly keyPrefix: string;
  readonly #client: Redis;
  readonly #timeoutMs: number;
  readonly #clearTimeoutMs: number;
  readonly #defaultTtlMs: number;
  readonly #clock: Clock;
  readonly #index: string;

  constructor(options: RedisCacheStoreOptions) {
    this.#client = options.client;
    this.keyPrefix = options.keyPrefix ?? 'orch:cache:';
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#clearTimeoutMs = options.clearTimeoutMs ?? 5_000;
    this.#defaultTtlMs = options.defaultTtlMs ?? 0;
    this.#clock = options.clock ?? systemClock;
    this.#index = `${this.keyPrefix}index`;
  }

  async get(key: string): Promise<V | undefined> {
    const raw = await this.#run('cache get', this.#client.get(this.#entry(key)));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as V;
    } catch {
      // Something else wrote under our prefix: not ours to serve.
      return undefined;
    }
  }

  async set(key: string, value: V, ttlMs: number): Promise<void> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('cache values must be JSON-serializable');
    const ttl = ttlMs > 0 && Number.isFinite(ttlMs) ? ttlMs : this.#defaultTtlMs;
    const timed = ttl > 0 && Number.isFinite(ttl);
    const now = this.#clock.now();
    const entry = this.#entry(key);
    const tx = this.#client.multi();
    if (timed) tx.set(entry, json, 'PX', Math.ceil(ttl));
    else tx.set(entry, json);
    tx.zadd(this.#index, timed ? String(now + ttl) : '+inf', entry);
    tx.zremrangebyscore(this.#index, '-inf', `(${now}`);
    checkExec('cache set', await this.#run('cache set', tx.exec()));
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.#entry(key);
    const tx = this.#client.multi().del(entry).zrem(this.#index, entry);
    const results = checkExec('cache delete', await this.#run('cache delete', tx.exec()));
    return results[0] === 1;
  }

  /** Removes every entry under this prefix (SCAN + UNLINK, so Redis never blocks on it). */
  async clear(): Promise<void> {
    const work = async (): Promise<void> => {
      const pattern = `${escapeGlob(this.keyPrefix)}e:*`;
      let cursor = '0';
      do {
        const [next, keys] = await this.#client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await this.#client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
      await this.#client.unlink(this.#index);
    };
    await withRedisTimeout(work(), this.#clearTimeoutMs, 'cache clear');
  }

  /** Live entries, from the index (entries Redis evicted under `maxmemory` still count until they expire). */
  async size(): Promise<number> {
    const tx = this.#client
      .multi()
      .zremrangebyscore(this.#index, '-inf', `(${this.#clock.now()}`)
      .zcard(this.#index);
    const results = checkExec('cache size', await this.#run('cache size', tx.exec()));
    return Number(results[1]);
  }

  #entry(key: string): string {
    return `${this.keyPrefix}e:${key}`;
  }

  #run<T>(operation: string, work: Promise<T>): Promise<T> {
    return withRedisTimeout(work, this.#timeoutMs, operation);
  }
}

type ExecResult = [error: Error | null, result: unknown][] | null;

/** MULTI results, or a typed error when the transaction or any command in it failed. */
function checkExec(operation: string, results: ExecResult): unknown[] {
  if (results === null)
    throw new RedisUnavailableError(operation, new Error('transaction aborted'));
  return results.map(([error, result]) => {
    if (error !== null) throw new RedisUnavailableError(operation, error);
    return result;
  });
}

/** Keys are ours but the prefix is configuration: keep its glob characters literal. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
