import type {
  BudgetLedger,
  CachedEntry,
  CacheStore,
  ChatResponse,
  CounterStore,
} from '@orchestrator/core';
import type { createRedisClient } from '@orchestrator/redis';
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
  /** The Redis package, imported only when Redis is used (it costs ~25 MB of RSS). */
  redisModule: typeof import('@orchestrator/redis') | undefined;
  stores: SharedStores | undefined;
  down: boolean;
}> {
  // REDIS_URL shares cache, rate counters and budgets between instances; given stores win.
  const redisUrl = config.storage.redisUrl ?? (env.REDIS_URL?.trim() || undefined);
  if (given !== undefined || redisUrl === undefined)
    return { redis: undefined, redisModule: undefined, stores: given, down: false };
  const redisModule = await import('@orchestrator/redis');
  const redis = redisModule.createRedisClient(redisUrl);
  const prefix = config.storage.redisKeyPrefix;
  const stores: SharedStores = {
    cache: new redisModule.RedisCacheStore<CachedEntry<ChatResponse>>({
      client: redis,
      keyPrefix: `${prefix}cache:`,
    }),
    counters: new redisModule.RedisCounterStore({ client: redis, keyPrefix: `${prefix}ctr:` }),
    ledger: new redisModule.RedisBudgetLedger({ client: redis, keyPrefix: `${prefix}budget:` }),
  };
  // Give Redis a moment at startup; if it is down the server still starts (cache misses, limits fail open).
  const redisDown = await redisModule.whenRedisReady(redis, 2_000).then(
    () => false,
    () => true,
  );
  return { redis, redisModule, stores, down: redisDown };
}
