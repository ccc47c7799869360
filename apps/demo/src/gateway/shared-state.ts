import {
  createRedisClient,
  RedisBudgetLedger,
  RedisCacheStore,
  RedisCounterStore,
} from '@orchestrator/redis';
import type { CachedEntry, ChatResponse, CreateServerStores } from './server-types.js';

export interface SharedState {
  readonly stores: CreateServerStores | undefined;
  /** "memory" or "redis". */
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The engine's cache, rate-limit counters and budget ledger: in memory by
 * default, in Redis when `REDIS_URL` is set (so several demo gateways share
 * them). Redis failures fail fast inside the stores; the URL is never printed.
 */
export function sharedStateFromEnv(env: Readonly<Record<string, string | undefined>>): SharedState {
  const url = env.REDIS_URL?.trim();
  if (!url) return { stores: undefined, kind: 'memory', close: async () => {} };
  const client = createRedisClient(url);
  const keyPrefix = 'orch:demo:';
  return {
    kind: 'redis',
    stores: {
      cache: new RedisCacheStore<CachedEntry<ChatResponse>>({
        client,
        keyPrefix: `${keyPrefix}cache:`,
      }),
      counters: new RedisCounterStore({ client, keyPrefix: `${keyPrefix}limits:` }),
      ledger: new RedisBudgetLedger({ client, keyPrefix: `${keyPrefix}budgets:` }),
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
