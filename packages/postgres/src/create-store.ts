import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { pgClient, pgliteClient, type SqlClient } from './sql/sql-client.js';
import { createSqlStore, type SqlGatewayStore } from './sql/sql-store.js';
import type { UsageOutboxOptions } from './usage-outbox.js';
import { StoreInputError } from './validate-records.js';

export interface StoreOptions {
  /** postgres:// URL: real PostgreSQL through a `pg` pool. Never logged or echoed in errors. */
  readonly url?: string;
  /** PGlite data directory (created if missing); omitted with no `url`: PGlite in memory. */
  readonly dataDir?: string;
  /**
   * PostgreSQL only: a schema to work in (created if missing), set as the
   * pool's search_path. Lets several stores or test files share one database.
   */
  readonly schema?: string;
  /** PostgreSQL pool settings. */
  readonly pool?: {
    /** Connections. Default 10. */
    readonly max?: number;
    /** Wait for a connection before failing. Default 5 s. */
    readonly connectionTimeoutMillis?: number;
    /** Server-side statement_timeout. Default 30 s, so a runaway query cannot hold a connection forever. */
    readonly statementTimeoutMs?: number;
    /**
     * Client-side limit on one query, for a database that stops answering
     * (a frozen host or network): the outbox then backs off instead of hanging.
     * Default: statementTimeoutMs + 5 s.
     */
    readonly queryTimeoutMs?: number;
  };
  readonly outbox?: UsageOutboxOptions;
  /** Longest wait for the outbox to drain on close. Default 5 s. */
  readonly closeTimeoutMs?: number;
  /** Apply pending migrations before resolving. Default true. */
  readonly migrate?: boolean;
  /** Told about background errors (idle connections dropped, outbox writes failing). */
  readonly onError?: (error: unknown) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the durable store: PostgreSQL when `url` is given, else PGlite
 * (a directory, or memory). Migrations are applied before it resolves.
 */
export async function createStore(options: StoreOptions = {}): Promise<SqlGatewayStore> {
  if (options.url !== undefined && options.dataDir !== undefined) {
    throw new StoreInputError('give either url (PostgreSQL) or dataDir (PGlite), not both');
  }
  if (options.url === undefined && options.schema !== undefined) {
    throw new StoreInputError('schema applies to PostgreSQL (url) only');
  }
  const client =
    options.url === undefined
      ? (await openPglite(options.dataDir)).client
      : await openPostgres(options.url, options);
  const store = createSqlStore(client, {
    ...(options.closeTimeoutMs === undefined ? {} : { closeTimeoutMs: options.closeTimeoutMs }),
    outbox: {
      ...options.outbox,
      ...(options.outbox?.onError === undefined && options.onError !== undefined
        ? { onError: options.onError }
        : {}),
    },
  });
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
  }
  return store;
}

/**
 * The store the environment asks for: PostgreSQL when DATABASE_URL is set,
 * else PGlite in `options.dataDir` (default `./.data/pglite`).
 */
export function createStoreFromEnv(
  options: Omit<StoreOptions, 'url'> & {
    readonly env?: Readonly<Record<string, string | undefined>>;
  } = {},
): Promise<SqlGatewayStore> {
  const { env = process.env, ...rest } = options;
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    const { dataDir: _ignored, ...pgOptions } = rest;
    return createStore({ ...pgOptions, url });
  }
  return createStore({ ...rest, dataDir: rest.dataDir ?? './.data/pglite' });
}

/**
 * Opens PGlite in `dataDir` (created with its parents if missing) or in
 * memory. Loaded on demand: a PostgreSQL deployment never pays for the WASM
 * build, nor a PGlite one for pg. Exported for tests, not from the index.
 */
export async function openPglite(dataDir?: string): Promise<{ db: PGlite; client: SqlClient }> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir === undefined) {
    const db = await PGlite.create();
    return { db, client: pgliteClient(db) };
  }
  // PGlite creates only the last path segment itself.
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  return { db, client: pgliteClient(db) };
}

async function openPostgres(url: string, options: StoreOptions): Promise<SqlClient> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    // The URL may hold a password: say what is wrong without repeating it.
    throw new StoreInputError('url must start with postgres:// or postgresql://');
  }
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreInputError('schema must be a lowercase SQL identifier ([a-z_][a-z0-9_]*)');
  }
  const statementTimeout = options.pool?.statementTimeoutMs ?? 30_000;
  const { default: driver } = await import('pg');
  const pool = new driver.Pool({
    connectionString: url,
    max: options.pool?.max ?? 10,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMillis ?? 5_000,
    query_timeout: options.pool?.queryTimeoutMs ?? statementTimeout + 5_000,
    options: [
      `-c statement_timeout=${Math.max(0, Math.round(statementTimeout))}`,
      ...(schema === undefined ? [] : [`-c search_path=${schema}`]),
    ].join(' '),
  });
  // An idle connection dropped by the server (restart, proxy, network) emits
  // 'error' on the pool; unhandled it would crash the process.
  pool.on('error', (error) => options.onError?.(error));
  if (schema !== undefined) {
    await createSchema(pool, schema);
  }
  return pgClient(pool);
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  // CREATE SCHEMA IF NOT EXISTS races with itself; serialize it on an advisory lock.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtext('orchestrator.schema:' || $1::text))`,
      [schema],
    );
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    await pool.end().catch(() => {});
    throw error;
  }
  client.release();
}
