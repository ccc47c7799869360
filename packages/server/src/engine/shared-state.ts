import type {
  BudgetLedger,
  CachedEntry,
  CacheStore,
  ChatResponse,
  CounterStore,
} from '@orchestrator/core';
import {
  createRedisClient,
  RedisBudgetLedger,
  RedisCacheStore,
  RedisCounterStore,
  whenRedisReady,
} from '@orchestrator/redis';
import type { GatewayConfig } from '../config/config-schema.js';

export interface SharedStores {
  readonly cache?: CacheStore<CachedEntry<ChatResponse>>;
  readonly counters?: CounterStore;
  readonly ledger?: BudgetLedger;
}

/** The Redis client (when the gateway opened one), the stores for the engine, and whether Redis was down at start. */
export async function connectSharedState(
  config: GatewayConfig,
  env: Readonly<Record<string, string | undefined>>,
  given: SharedStores | undefined,
): Promise<{
  redis: ReturnType<typeof createRedisClient> | undefined;
  stores: SharedStores | undefined;
  down: boolean;
}> {
  // REDIS_URL shares cache, rate counters and budgets between instances; given stores win.
  const redisUrl = config.storage.redisUrl ?? (env.REDIS_URL?.trim() || undefined);
  const redis =
    given === undefined && redisUrl !== undefined ? createRedisClient(redisUrl) : undefined;
  const prefix = config.storage.redisKeyPrefix;
  const stores =
    given ??
    (redis
      ? {
          cache: new RedisCacheStore<CachedEntry<ChatResponse>>({
            client: redis,
            keyPrefix: `${prefix}cache:`,
          }),
          counters: new RedisCounterStore({ client: redis, keyPrefix: `${prefix}ctr:` }),
          ledger: new RedisBudgetLedger({ client: redis, keyPrefix: `${prefix}budget:` }),
        }
      : undefined);
  let redisDown = false;
  if (redis) {
    // Give Redis a moment at startup; if it is down the server still starts (cache misses, limits fail open).
    redisDown = await whenRedisReady(redis, 2_000).then(
      () => false,
      () => true,
    );
  }
  return { redis, stores, down: redisDown };
}
