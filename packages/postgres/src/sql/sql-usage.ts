import type { UsageRecord } from '../gateway-store.js';
import { usageLimit } from '../validate-records.js';
import { usageFromRow, usageToJson } from './map-rows.js';
import type { SqlExecutor } from './sql-client.js';

const COLUMNS = `request_id, attempt, user_id, model, provider, outcome, input_tokens,
  output_tokens, cost_usd, latency_ms, cached, partial, possibly_billed, error_code, created_at`;

// One JSON array parameter holds the whole batch; ON CONFLICT makes a replay
// of a batch the database already committed (lost acknowledgement) a no-op,
// and also skips a duplicate inside the same batch.
const INSERT_USAGE = `INSERT INTO usage (${COLUMNS})
SELECT ${COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS r(
  request_id text, attempt integer, user_id text, model text, provider text, outcome text,
  input_tokens bigint, output_tokens bigint, cost_usd numeric, latency_ms double precision,
  cached boolean, partial boolean, possibly_billed boolean, error_code text, created_at timestamptz)
ON CONFLICT (request_id, attempt) DO NOTHING`;

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the record, not the database, is at fault. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/**
 * Inserts a batch of usage rows. If the database rejects the batch for its
 * data (a poison record), the records are retried one by one and only the
 * rejected ones are dropped (counted by `onRejected`), so one bad record
 * cannot wedge the outbox. Connection errors propagate: the outbox retries.
 */
export async function insertUsage(
  db: SqlExecutor,
  records: readonly UsageRecord[],
  onRejected: (count: number) => void,
): Promise<void> {
  try {
    await db.query(INSERT_USAGE, [JSON.stringify(records.map(usageToJson))]);
  } catch (error) {
    if (!isDataError(error) || records.length === 0) throw error;
    for (const record of records) {
      try {
        await db.query(INSERT_USAGE, [JSON.stringify([usageToJson(record)])]);
      } catch (single) {
        if (!isDataError(single)) throw single;
        onRejected(1);
      }
    }
  }
}

export async function queryUsage(
  db: SqlExecutor,
  filter: { user?: string; since?: Date; limit?: number },
): Promise<UsageRecord[]> {
  const { rows } = await db.query(
    `SELECT * FROM usage
      WHERE ($1::text IS NULL OR user_id = $1)
        AND ($2::timestamptz IS NULL OR created_at >= $2)
      ORDER BY created_at DESC, request_id, attempt
      LIMIT $3`,
    [filter.user ?? null, filter.since?.toISOString() ?? null, usageLimit(filter.limit)],
  );
  return rows.map(usageFromRow);
}
