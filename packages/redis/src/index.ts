export type { BatchItemOutcome, BatchStatus } from './batch-item-store.js';
export {
  createRedisClient,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type RedisClientOptions,
} from './create-redis-client.js';
export {
  createRedisSharedState,
  type RedisSharedState,
  type RedisSharedStateOptions,
} from './create-redis-shared-state.js';
export {
  type BatchItemContext,
  type BatchItemHandler,
  type BatchProcessOptions,
  type BatchWorkerHandle,
  RedisBatchQueue,
  type RedisBatchQueueOptions,
} from './redis-batch-queue.js';
export { RedisBatchSignal, type RedisBatchSignalOptions } from './redis-batch-signal.js';
export { RedisBudgetLedger, type RedisBudgetLedgerOptions } from './redis-budget-ledger.js';
export { RedisCacheStore, type RedisCacheStoreOptions } from './redis-cache-store.js';
export { RedisCounterStore, type RedisCounterStoreOptions } from './redis-counter-store.js';
export { RedisTimeoutError, RedisUnavailableError } from './redis-errors.js';
export { RedisScript } from './redis-script.js';
export {
  type ArmState,
  RedisSelectorStats,
  type RedisSelectorStatsOptions,
  type ShareableSelector,
} from './redis-selector-stats.js';
export { whenRedisReady, withRedisTimeout } from './with-redis-timeout.js';
