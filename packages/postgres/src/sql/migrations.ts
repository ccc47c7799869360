import type { SqlClient } from './sql-client.js';

export interface Migration {
  /** Strictly increasing; never renumber or edit a released migration, add a new one. */
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The schema, for PostgreSQL and PGlite alike. Money is `numeric(20,10)` in
 * US dollars: exact (no float drift in sums) and fine enough for per-token
 * prices ($0.0000001), which integer micro-dollars would round away.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE models (
  name        text PRIMARY KEY,
  provider    text NOT NULL,
  model_id    text NOT NULL,
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id             text PRIMARY KEY,
  prefix         text NOT NULL,
  hash           text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
  user_id        text NOT NULL,
  name           text,
  allowed_models text[],
  budget_usd     numeric(20,10),
  budget_period  text CHECK (budget_period IN ('daily', 'weekly', 'monthly', 'total')),
  rpm            integer,
  tpm            integer,
  admin          boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  last_used_at   timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at);

CREATE TABLE usage (
  request_id      text NOT NULL,
  attempt         integer NOT NULL,
  user_id         text,
  model           text NOT NULL,
  provider        text NOT NULL,
  outcome         text NOT NULL,
  input_tokens    bigint NOT NULL DEFAULT 0,
  output_tokens   bigint NOT NULL DEFAULT 0,
  cost_usd        numeric(20,10) NOT NULL DEFAULT 0,
  latency_ms      double precision NOT NULL DEFAULT 0,
  cached          boolean NOT NULL DEFAULT false,
  partial         boolean NOT NULL DEFAULT false,
  possibly_billed boolean NOT NULL DEFAULT false,
  error_code      text,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (request_id, attempt)
);
CREATE INDEX usage_user_created_idx ON usage (user_id, created_at DESC);
CREATE INDEX usage_created_idx ON usage (created_at DESC);
CREATE INDEX usage_model_created_idx ON usage (model, created_at DESC);

CREATE TABLE batches (
  id          text PRIMARY KEY,
  user_id     text,
  status      text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  total       integer NOT NULL CHECK (total >= 0),
  succeeded   integer NOT NULL DEFAULT 0,
  failed      integer NOT NULL DEFAULT 0,
  options     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batches_user_idx ON batches (user_id, created_at);
CREATE INDEX batches_active_idx ON batches (created_at) WHERE status IN ('queued', 'running');

CREATE TABLE batch_items (
  batch_id    text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  "index"     integer NOT NULL,
  request     jsonb NOT NULL,
  status      text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
  result      jsonb,
  error       jsonb,
  attempts    integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (batch_id, "index")
);
-- Claims scan only the open items of one batch.
CREATE INDEX batch_items_open_idx ON batch_items (batch_id, "index")
  WHERE status IN ('pending', 'running');

CREATE TABLE feedback (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  text NOT NULL,
  user_id     text,
  model       text NOT NULL,
  score       double precision NOT NULL,
  comment     text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_request_idx ON feedback (request_id);
CREATE INDEX feedback_model_created_idx ON feedback (model, created_at);

CREATE TABLE preferences (
  user_id     text PRIMARY KEY,
  strategy    text,
  weights     jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
`,
  },
];

const MIGRATIONS_TABLE = 'orchestrator_migrations';

/**
 * Applies pending migrations, each in its own transaction, under a
 * transaction-scoped advisory lock keyed by the schema: instances starting
 * together queue on the lock, and the ones that follow find the work done.
 * PGlite has one connection, so the lock is uncontended there; the same SQL runs.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  checkOrder(migrations);
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await client.transaction(async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('orchestrator.migrations:' || current_schema()))`,
      );
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
           id integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await tx.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE id = $1`, [
        migration.id,
      ]);
      if (done.rowCount > 0) return false;
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (id, name) VALUES ($1, $2)`, [
        migration.id,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  let last = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.id) || m.id <= last) {
      throw new TypeError(`migration ids must increase; ${m.id} follows ${last}`);
    }
    last = m.id;
  }
}
