import type { CachedEntry, ChatResponse } from '@orchestrator/core';
import type { Redis } from 'ioredis';
import { createRedisClient, type RedisClientOptions } from './create-redis-client.js';
import { RedisBatchQueue, type RedisBatchQueueOptions } from './redis-batch-queue.js';
import { RedisBudgetLedger } from './redis-budget-ledger.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { RedisSelectorStats, type ShareableSelector } from './redis-selector-stats.js';

export interface RedisSharedStateOptions {
  readonly url: string;
  /** Prefix of every key, so deployments can share one Redis. Default `orch:`. */
  readonly keyPrefix?: string;
  readonly client?: RedisClientOptions;
  /** How often selector statistics are exchanged. Default 1,000 ms. */
  readonly selectorSyncMs?: number;
  /** Batch queue settings (its URL and prefix come from here). */
  readonly batch?: Omit<RedisBatchQueueOptions, 'url' | 'keyPrefix'>;
  readonly onError?: (error: unknown) => void;
}

export interface RedisSharedState<I = unknown, R = unknown> {
  readonly client: Redis;
  readonly cacheStore: RedisCacheStore<CachedEntry<ChatResponse>>;
  readonly counterStore: RedisCounterStore;
  readonly budgetLedger: RedisBudgetLedger;
  readonly batchQueue: RedisBatchQueue<I, R>;
  /** Starts sharing a selector's statistics (call `stop()`/`close()` on the result, or `close()` here). */
  shareSelector(selector: ShareableSelector, name?: string): RedisSelectorStats;
  /** Stops the syncs, closes the batch queue and the connection. */
  close(): Promise<void>;
}

/**
 * Every shared store of one deployment on one fast-failing connection (the
 * batch queue opens its own, as BullMQ requires), under one key prefix —
 * what the server wires in when `REDIS_URL` is set.
 */
export function createRedisSharedState<I = unknown, R = unknown>(
  options: RedisSharedStateOptions,
): RedisSharedState<I, R> {
  const prefix = options.keyPrefix ?? 'orch:';
  const onError = options.onError;
  const client = createRedisClient(options.url, {
    ...options.client,
    ...(onError === undefined ? {} : { onError }),
  });
  const selectors: RedisSelectorStats[] = [];
  const batchQueue = new RedisBatchQueue<I, R>({
    ...options.batch,
    url: options.url,
    keyPrefix: `${prefix}batch`,
    ...(onError === undefined ? {} : { onError }),
  });
  return {
    client,
    cacheStore: new RedisCacheStore({ client, keyPrefix: `${prefix}cache:` }),
    counterStore: new RedisCounterStore({ client, keyPrefix: `${prefix}ctr:` }),
    budgetLedger: new RedisBudgetLedger({ client, keyPrefix: `${prefix}budget:` }),
    batchQueue,
    shareSelector(selector, name = 'default') {
      const stats = new RedisSelectorStats({
        client,
        selector,
        name,
        keyPrefix: `${prefix}ucb:`,
        ...(options.selectorSyncMs === undefined ? {} : { intervalMs: options.selectorSyncMs }),
        ...(onError === undefined ? {} : { onError }),
      });
      selectors.push(stats);
      stats.start();
      return stats;
    },
    async close() {
      await Promise.all(selectors.map((s) => s.close()));
      await batchQueue.close();
      client.disconnect();
    },
  };
}
