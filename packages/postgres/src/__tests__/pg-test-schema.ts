import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL;

if (DATABASE_URL === undefined) {
  console.warn(
    '[@orchestrator/postgres] DATABASE_URL is not set: the real-PostgreSQL tests are SKIPPED (CI sets it).',
  );
}

/** A uniquely named schema for one test file, so parallel runs never collide. */
export interface TestSchema {
  readonly url: string;
  readonly schema: string;
  /** A pool whose search_path is the schema, for assertions behind the store's back. */
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createTestSchema(label: string): Promise<TestSchema> {
  const url = DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is not set');
  const schema = `orch_test_${label}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  pool.on('error', () => {});
  return {
    url,
    schema,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
