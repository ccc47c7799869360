import type { GatewayStore } from '../gateway-store.js';
import {
  checkBatch,
  checkClaim,
  checkIndices,
  checkOutcome,
  requireNonNegativeInt,
  requireText,
} from '../validate-records.js';
import { batchFromRow, itemFromRow, jsonParam } from './map-rows.js';
import type { SqlClient } from './sql-client.js';

const OPEN_BATCH = `status IN ('queued', 'running')`;

/**
 * Batches over SQL. Claims use FOR UPDATE SKIP LOCKED so concurrent workers
 * take disjoint items without waiting on each other; a running item whose
 * claim is older than `staleAfterMs` (by the database's clock, the one clock
 * every instance shares) is claimable again. Completion is one statement that
 * moves an item only from pending/running and bumps the batch counters in the
 * same step, so a duplicate completion changes nothing.
 */
export function sqlBatches(db: SqlClient): GatewayStore['batches'] {
  return {
    async create(batch, requests) {
      checkBatch(batch, requests);
      return db.transaction(async (tx) => {
        const created = await tx.query(
          `INSERT INTO batches (id, user_id, status, total, options)
           VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING *`,
          [
            batch.id,
            batch.user,
            requests.length === 0 ? 'completed' : 'queued',
            requests.length,
            jsonParam(batch.options ?? {}),
          ],
        );
        if (requests.length > 0) {
          // One JSON array parameter, whatever the batch size (no 65,535-parameter limit).
          await tx.query(
            `INSERT INTO batch_items (batch_id, "index", request, status)
             SELECT $1, (t.ord - 1)::integer, t.elem, 'pending'
             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(elem, ord)`,
            [batch.id, JSON.stringify(requests.map((r) => (r === undefined ? null : r)))],
          );
        }
        return batchFromRow(created.rows[0]!);
      });
    },

    async get(id) {
      const { rows } = await db.query(`SELECT * FROM batches WHERE id = $1`, [id]);
      return rows[0] === undefined ? undefined : batchFromRow(rows[0]);
    },

    async items(id) {
      const { rows } = await db.query(
        `SELECT * FROM batch_items WHERE batch_id = $1 ORDER BY "index"`,
        [id],
      );
      return rows.map(itemFromRow);
    },

    async claim(id, limit, staleAfterMs) {
      checkClaim(limit, staleAfterMs);
      if (limit === 0) return [];
      return db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `UPDATE batch_items AS t
              SET status = 'running', attempts = t.attempts + 1, updated_at = now()
            WHERE (t.batch_id, t."index") IN (
              SELECT i.batch_id, i."index" FROM batch_items i
               WHERE i.batch_id = $1
                 AND (i.status = 'pending'
                      OR (i.status = 'running'
                          AND i.updated_at <= now() - $3::double precision * interval '1 millisecond'))
                 AND EXISTS (SELECT 1 FROM batches b WHERE b.id = $1 AND b.${OPEN_BATCH})
               ORDER BY i."index"
               LIMIT $2
               FOR UPDATE SKIP LOCKED)
            RETURNING t.*`,
          [id, limit, staleAfterMs],
        );
        if (rows.length > 0) {
          await tx.query(
            `UPDATE batches SET status = 'running', updated_at = now()
              WHERE id = $1 AND status = 'queued'`,
            [id],
          );
        }
        return rows.map(itemFromRow).sort((a, b) => a.index - b.index);
      });
    },

    async renew(id, indices) {
      requireText(id, 'batch id');
      checkIndices(indices);
      if (indices.length === 0) return 0;
      const { rowCount } = await db.query(
        `UPDATE batch_items SET updated_at = now()
          WHERE batch_id = $1 AND status = 'running'
            AND "index" IN (SELECT (jsonb_array_elements_text($2::jsonb))::integer)`,
        [id, JSON.stringify([...new Set(indices)])],
      );
      return rowCount;
    },

    async complete(id, index, outcome) {
      requireText(id, 'batch id');
      requireNonNegativeInt(index, 'index');
      checkOutcome(outcome);
      const { rowCount } = await db.query(
        `WITH done AS (
           UPDATE batch_items
              SET status = $3, result = $4::jsonb, error = $5::jsonb, updated_at = now()
            WHERE batch_id = $1 AND "index" = $2 AND status IN ('pending', 'running')
            RETURNING status)
         UPDATE batches AS b
            SET succeeded = b.succeeded + (SELECT count(*) FROM done WHERE status = 'succeeded')::integer,
                failed = b.failed + (SELECT count(*) FROM done WHERE status = 'failed')::integer,
                status = CASE
                  WHEN b.status IN ('queued', 'running')
                   AND b.succeeded + b.failed + (SELECT count(*) FROM done)::integer >= b.total
                  THEN 'completed' ELSE b.status END,
                updated_at = now()
          WHERE b.id = $1 AND EXISTS (SELECT 1 FROM done)`,
        [id, index, outcome.status, jsonParam(outcome.result), jsonParam(outcome.error)],
      );
      return rowCount > 0;
    },

    async unfinished() {
      const { rows } = await db.query(
        `SELECT b.* FROM batches b
          WHERE b.${OPEN_BATCH}
            AND EXISTS (SELECT 1 FROM batch_items i
                         WHERE i.batch_id = b.id AND i.status IN ('pending', 'running'))
          ORDER BY b.created_at, b.id`,
      );
      return rows.map(batchFromRow);
    },
  };
}
