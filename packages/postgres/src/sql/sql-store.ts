import type { GatewayStore } from '../gateway-store.js';
import { UsageOutbox, type UsageOutboxOptions } from '../usage-outbox.js';
import {
  checkKey,
  checkModel,
  isWritableUsage,
  requireText,
  StoreInputError,
} from '../validate-records.js';
import { jsonParam, keyFromRow, modelFromRow, preferenceFromRow } from './map-rows.js';
import { migrate } from './migrations.js';
import { sqlBatches } from './sql-batches.js';
import type { SqlClient } from './sql-client.js';
import { insertUsage, queryUsage } from './sql-usage.js';

export interface SqlStoreOptions {
  readonly outbox?: UsageOutboxOptions;
  /** Longest wait for the outbox to drain on close. Default 5 s. */
  readonly closeTimeoutMs?: number;
}

/** A GatewayStore whose outbox can also report records the database refused. */
export interface SqlGatewayStore extends GatewayStore {
  readonly kind: 'postgres' | 'pglite';
  usage: GatewayStore['usage'] & {
    outboxStats(): { pending: number; dropped: number; written: number; rejected: number };
  };
}

const UNIQUE_VIOLATION = '23505';

export function createSqlStore(db: SqlClient, options: SqlStoreOptions = {}): SqlGatewayStore {
  let rejected = 0;
  const outbox = new UsageOutbox(
    (records) =>
      insertUsage(db, records, (count) => {
        rejected += count;
      }),
    options.outbox,
  );
  let closing: Promise<void> | undefined;
  // Set once close() has drained what it could: later records have no writer.
  let closed = false;
  let lateDropped = 0;

  return {
    kind: db.kind,
    async migrate() {
      await migrate(db);
    },
    close() {
      closing ??= (async () => {
        const timeoutMs = options.closeTimeoutMs ?? 5_000;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          outbox.flush(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        outbox.close();
        closed = true;
        await db.close();
      })();
      return closing;
    },

    models: {
      async list() {
        const { rows } = await db.query(`SELECT * FROM models ORDER BY name`);
        return rows.map(modelFromRow);
      },
      async get(name) {
        const { rows } = await db.query(`SELECT * FROM models WHERE name = $1`, [name]);
        return rows[0] === undefined ? undefined : modelFromRow(rows[0]);
      },
      async upsert(model) {
        checkModel(model);
        const { rows } = await db.query(
          `INSERT INTO models (name, provider, model_id, settings, enabled)
           VALUES ($1, $2, $3, $4::jsonb, $5)
           ON CONFLICT (name) DO UPDATE
             SET provider = EXCLUDED.provider, model_id = EXCLUDED.model_id,
                 settings = EXCLUDED.settings, enabled = EXCLUDED.enabled, updated_at = now()
           RETURNING *`,
          [
            model.name,
            model.provider,
            model.modelId,
            jsonParam(model.settings ?? {}),
            model.enabled,
          ],
        );
        return modelFromRow(rows[0]!);
      },
      async delete(name) {
        const { rowCount } = await db.query(`DELETE FROM models WHERE name = $1`, [name]);
        return rowCount > 0;
      },
    },

    keys: {
      async create(key) {
        checkKey(key);
        try {
          const { rows } = await db.query(
            `INSERT INTO api_keys (id, prefix, hash, user_id, name, allowed_models, budget_usd,
                                   budget_period, rpm, tpm, admin)
             VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11) RETURNING *`,
            [
              key.id,
              key.prefix,
              key.hash,
              key.user,
              key.name,
              key.allowedModels === null ? null : [...key.allowedModels],
              key.budgetUsd,
              key.budgetPeriod,
              key.rpm,
              key.tpm,
              key.admin,
            ],
          );
          return keyFromRow(rows[0]!);
        } catch (error) {
          // Name the clash without echoing the hash or the driver's detail line.
          if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
            const onId = String((error as { constraint?: unknown }).constraint).includes('pkey');
            throw new StoreInputError(
              `an API key with this ${onId ? 'id' : 'hash'} already exists`,
            );
          }
          throw error;
        }
      },
      async findByHash(hash) {
        const { rows } = await db.query(`SELECT * FROM api_keys WHERE hash = $1`, [hash]);
        return rows[0] === undefined ? undefined : keyFromRow(rows[0]);
      },
      async list(user) {
        const { rows } = await db.query(
          `SELECT * FROM api_keys WHERE ($1::text IS NULL OR user_id = $1) ORDER BY created_at, id`,
          [user ?? null],
        );
        return rows.map(keyFromRow);
      },
      async revoke(id) {
        const { rowCount } = await db.query(
          `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
          [id],
        );
        return rowCount > 0;
      },
      async touch(id, at) {
        await db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, [
          id,
          at.toISOString(),
        ]);
      },
    },

    usage: {
      record(record) {
        if (closed) lateDropped++;
        else if (isWritableUsage(record)) outbox.push(record);
        else rejected++;
      },
      async flush() {
        await outbox.flush();
      },
      outboxStats() {
        const stats = outbox.stats();
        return { ...stats, dropped: stats.dropped + rejected + lateDropped, rejected };
      },
      query: (filter) => queryUsage(db, filter),
    },

    batches: sqlBatches(db),

    feedback: {
      async record(entry) {
        requireText(entry.requestId, 'feedback.requestId');
        await db.query(
          `INSERT INTO feedback (request_id, user_id, model, score, comment)
           VALUES ($1, $2, $3, $4, $5)`,
          [entry.requestId, entry.user, entry.model, entry.score, entry.comment],
        );
      },
    },

    preferences: {
      async get(user) {
        const { rows } = await db.query(`SELECT * FROM preferences WHERE user_id = $1`, [user]);
        return rows[0] === undefined ? undefined : preferenceFromRow(rows[0]);
      },
      async set(user, prefs) {
        requireText(user, 'user');
        const { rows } = await db.query(
          `INSERT INTO preferences (user_id, strategy, weights) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (user_id) DO UPDATE
             SET strategy = EXCLUDED.strategy, weights = EXCLUDED.weights, updated_at = now()
           RETURNING *`,
          [user, prefs.strategy, prefs.weights === null ? null : jsonParam(prefs.weights)],
        );
        return preferenceFromRow(rows[0]!);
      },
    },
  };
}
