export { createStore, createStoreFromEnv, type StoreOptions } from './create-store.js';
export type * from './gateway-store.js';
export {
  createMemoryStore,
  type MemoryGatewayStore,
  type MemoryStoreOptions,
} from './memory-store.js';
export { MIGRATIONS, type Migration } from './sql/migrations.js';
export type { SqlGatewayStore } from './sql/sql-store.js';
export {
  type UsageBatchWriter,
  UsageOutbox,
  type UsageOutboxOptions,
  type UsageOutboxStats,
} from './usage-outbox.js';
export { StoreInputError } from './validate-records.js';
