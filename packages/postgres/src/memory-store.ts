import type {
  BatchItemRecord,
  BatchRecord,
  FeedbackRecord,
  GatewayStore,
  PreferenceRecord,
  StoredApiKey,
  StoredModel,
  UsageRecord,
} from './gateway-store.js';
import {
  checkBatch,
  checkClaim,
  checkIndices,
  checkKey,
  checkModel,
  checkOutcome,
  isWritableUsage,
  requireText,
  StoreInputError,
  usageLimit,
} from './validate-records.js';

export interface MemoryStoreOptions {
  /** The clock (tests move it to age batch claims). */
  readonly now?: () => Date;
  /**
   * Most usage records (and, separately, feedback records) kept; past it the
   * oldest are dropped, so a gateway left running on memory storage does not
   * grow without bound (default 50,000 each). Memory storage is for tests,
   * demos and benchmarks: a durable history needs PGlite or PostgreSQL.
   */
  readonly maxRecords?: number;
}

const DEFAULT_MAX_RECORDS = 50_000;

/** Feedback kept by the memory store, readable by tests. */
export interface MemoryGatewayStore extends GatewayStore {
  readonly kind: 'memory';
  /** Every feedback record in arrival order (the SQL stores have no read API for it yet). */
  feedbackRecords(): readonly FeedbackRecord[];
}

/**
 * A complete in-memory GatewayStore with the same semantics as the SQL ones:
 * unique key hashes, usage written once per (requestId, attempt), atomic
 * claims with stale-claim recovery, idempotent completion. Usage is written
 * synchronously, so `query` sees a record as soon as `record` returns.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryGatewayStore {
  const now = options.now ?? (() => new Date());
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  if (!(Number.isInteger(maxRecords) && maxRecords > 0)) {
    throw new StoreInputError(`maxRecords must be a whole number > 0, got ${String(maxRecords)}`);
  }
  const models = new Map<string, StoredModel>();
  const keys = new Map<string, StoredApiKey>();
  const usage = new Map<string, UsageRecord>();
  const batches = new Map<string, BatchRecord>();
  const items = new Map<string, BatchItemRecord[]>();
  const feedback: FeedbackRecord[] = [];
  const preferences = new Map<string, PreferenceRecord>();
  let written = 0;
  let rejected = 0;

  const isStale = (item: BatchItemRecord, staleAfterMs: number): boolean =>
    item.status === 'running' && now().getTime() - item.updatedAt.getTime() >= staleAfterMs;

  return {
    kind: 'memory',
    async migrate() {},
    async close() {},
    feedbackRecords: () => feedback.slice(),

    models: {
      async list() {
        return [...models.values()].sort((a, b) => a.name.localeCompare(b.name));
      },
      async get(name) {
        return models.get(name);
      },
      async upsert(model) {
        checkModel(model);
        const at = now();
        const stored: StoredModel = {
          ...model,
          settings: structuredClone(model.settings),
          createdAt: models.get(model.name)?.createdAt ?? at,
          updatedAt: at,
        };
        models.set(model.name, stored);
        return stored;
      },
      async delete(name) {
        return models.delete(name);
      },
    },

    keys: {
      async create(key) {
        checkKey(key);
        if (keys.has(key.id)) throw new StoreInputError('an API key with this id already exists');
        for (const other of keys.values()) {
          if (other.hash === key.hash) {
            throw new StoreInputError('an API key with this hash already exists');
          }
        }
        const stored: StoredApiKey = {
          ...key,
          createdAt: now(),
          revokedAt: null,
          lastUsedAt: null,
        };
        keys.set(key.id, stored);
        return stored;
      },
      async findByHash(hash) {
        for (const key of keys.values()) if (key.hash === hash) return key;
        return undefined;
      },
      async list(user) {
        return [...keys.values()]
          .filter((key) => user === undefined || key.user === user)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      },
      async revoke(id) {
        const key = keys.get(id);
        if (key === undefined || key.revokedAt !== null) return false;
        keys.set(id, { ...key, revokedAt: now() });
        return true;
      },
      async touch(id, at) {
        const key = keys.get(id);
        if (key !== undefined) keys.set(id, { ...key, lastUsedAt: at });
      },
    },

    usage: {
      record(record) {
        try {
          if (!isWritableUsage(record)) {
            rejected++;
            return;
          }
          const id = `${record.requestId}\u0000${record.attempt}`;
          if (!usage.has(id)) {
            usage.set(id, { ...record });
            // A Map iterates in insertion order: its first key is the oldest record.
            if (usage.size > maxRecords) usage.delete(usage.keys().next().value as string);
          }
          written++;
        } catch {
          // Never fails the request.
        }
      },
      async flush() {},
      outboxStats() {
        return { pending: 0, dropped: rejected, written, rejected };
      },
      async query(filter) {
        const limit = usageLimit(filter.limit);
        return [...usage.values()]
          .filter((r) => filter.user === undefined || r.user === filter.user)
          .filter((r) => filter.since === undefined || r.createdAt >= filter.since)
          .sort(
            (a, b) =>
              b.createdAt.getTime() - a.createdAt.getTime() ||
              a.requestId.localeCompare(b.requestId) ||
              a.attempt - b.attempt,
          )
          .slice(0, limit);
      },
    },

    batches: {
      async create(batch, requests) {
        checkBatch(batch, requests);
        if (batches.has(batch.id)) throw new StoreInputError('a batch with this id already exists');
        const at = now();
        const record: BatchRecord = {
          ...batch,
          options: structuredClone(batch.options),
          status: requests.length === 0 ? 'completed' : 'queued',
          succeeded: 0,
          failed: 0,
          createdAt: at,
          updatedAt: at,
        };
        batches.set(batch.id, record);
        items.set(
          batch.id,
          requests.map((request, index) => ({
            batchId: batch.id,
            index,
            request: request === undefined ? null : structuredClone(request),
            status: 'pending',
            result: null,
            error: null,
            attempts: 0,
            updatedAt: at,
          })),
        );
        return record;
      },
      async get(id) {
        return batches.get(id);
      },
      async items(id) {
        return (items.get(id) ?? []).slice();
      },
      async claim(id, limit, staleAfterMs) {
        checkClaim(limit, staleAfterMs);
        const batch = batches.get(id);
        const list = items.get(id);
        if (batch === undefined || list === undefined) return [];
        if (batch.status !== 'queued' && batch.status !== 'running') return [];
        const at = now();
        const claimed: BatchItemRecord[] = [];
        for (let i = 0; i < list.length && claimed.length < limit; i++) {
          const item = list[i]!;
          if (item.status !== 'pending' && !isStale(item, staleAfterMs)) continue;
          const next: BatchItemRecord = {
            ...item,
            status: 'running',
            attempts: item.attempts + 1,
            updatedAt: at,
          };
          list[i] = next;
          claimed.push(next);
        }
        if (claimed.length > 0 && batch.status === 'queued') {
          batches.set(id, { ...batch, status: 'running', updatedAt: at });
        }
        return claimed;
      },
      async renew(id, indices) {
        checkIndices(indices);
        const list = items.get(id);
        if (list === undefined) return 0;
        const at = now();
        let renewed = 0;
        for (const index of new Set(indices)) {
          const item = list[index];
          if (item?.status !== 'running') continue;
          list[index] = { ...item, updatedAt: at };
          renewed++;
        }
        return renewed;
      },
      async complete(id, index, outcome) {
        checkOutcome(outcome);
        const list = items.get(id);
        const batch = batches.get(id);
        const item = list?.[index];
        if (list === undefined || batch === undefined || item === undefined) return false;
        if (item.status !== 'pending' && item.status !== 'running') return false;
        const at = now();
        list[index] = {
          ...item,
          status: outcome.status,
          result: outcome.result === undefined ? null : structuredClone(outcome.result),
          error: outcome.error === undefined ? null : structuredClone(outcome.error),
          updatedAt: at,
        };
        const succeeded = batch.succeeded + (outcome.status === 'succeeded' ? 1 : 0);
        const failed = batch.failed + (outcome.status === 'failed' ? 1 : 0);
        const done = succeeded + failed >= batch.total;
        batches.set(id, {
          ...batch,
          succeeded,
          failed,
          status: done && batch.status !== 'cancelled' ? 'completed' : batch.status,
          updatedAt: at,
        });
        return true;
      },
      async unfinished() {
        return [...batches.values()]
          .filter((b) => b.status === 'queued' || b.status === 'running')
          .filter((b) =>
            (items.get(b.id) ?? []).some((i) => i.status === 'pending' || i.status === 'running'),
          )
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      },
    },

    feedback: {
      async record(entry) {
        requireText(entry.requestId, 'feedback.requestId');
        feedback.push({ ...entry, createdAt: now() });
        // Rare past the bound, and then one splice drops a whole tenth at once.
        if (feedback.length > maxRecords) feedback.splice(0, Math.ceil(maxRecords / 10));
      },
    },

    preferences: {
      async get(user) {
        return preferences.get(user);
      },
      async set(user, prefs) {
        requireText(user, 'user');
        const record: PreferenceRecord = {
          user,
          strategy: prefs.strategy,
          weights: prefs.weights === null ? null : { ...prefs.weights },
          updatedAt: now(),
        };
        preferences.set(user, record);
        return record;
      },
    },
  };
}
