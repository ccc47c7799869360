import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export type SqlRow = Record<string, unknown>;

export interface SqlResult<T extends SqlRow = SqlRow> {
  readonly rows: T[];
  /** Rows inserted, updated or deleted (or returned, for SELECT). */
  readonly rowCount: number;
}

/** What the repositories need from a connection: parameterized SQL. */
export interface SqlExecutor {
  query<T extends SqlRow = SqlRow>(
    text: string,
    params?: readonly unknown[],
  ): Promise<SqlResult<T>>;
  /** Runs a multi-statement script (migrations), no parameters. */
  exec(script: string): Promise<void>;
}

/** One database, behind `pg` or PGlite; the same SQL runs on both. */
export interface SqlClient extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function pgClient(pool: pg.Pool): SqlClient {
  const run = async <T extends SqlRow>(
    target: pg.Pool | pg.PoolClient,
    text: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<T>> => {
    const result = await target.query<T>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const value = await fn({
          query: (text, params) => run(client, text, params),
          exec: async (script) => {
            await client.query(script);
          },
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable (e.g. cut mid-transaction): discard it, not back to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async exec(script) {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}

export function pgliteClient(db: PGlite): SqlClient {
  const run = async <T extends SqlRow>(
    target: Pick<PGlite, 'query'>,
    text: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<T>> => {
    const result = await target.query<T>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? 0 };
  };
  return {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (text, params) => run(tx, text, params),
          exec: async (script) => {
            await tx.exec(script);
          },
        }),
      ),
    async exec(script) {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}
