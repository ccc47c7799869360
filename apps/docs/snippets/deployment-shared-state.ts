import type { CachedEntry, ChatResponse } from '@orchestrator/core';
import {
  createRedisClient,
  RedisBudgetLedger,
  RedisCacheStore,
  RedisCounterStore,
} from '@orchestrator/redis';
import { createServer, loadConfig } from '@orchestrator/server';

// REDIS_URL alone is enough; stores passed here win over it (here: to share one client).
const redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const gateway = await createServer(await loadConfig('orchestrator.config.yaml'), {
  // The engine's shared state: cache, RPM/TPM counters, budget ledger.
  stores: {
    cache: new RedisCacheStore<CachedEntry<ChatResponse>>({ client: redis }),
    counters: new RedisCounterStore({ client: redis }),
    ledger: new RedisBudgetLedger({ client: redis }),
  },
});
// Durable records (keys, models, usage, batches) go to PostgreSQL via DATABASE_URL.
await gateway.listen();

process.once('SIGTERM', async () => {
  await gateway.close();
  await redis.quit();
});
