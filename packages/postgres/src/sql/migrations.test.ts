import { describe, expect, it } from 'vitest';
import { createTestSchema, DATABASE_URL } from '../__tests__/pg-test-schema.js';
import { createStore } from '../create-store.js';
import { MIGRATIONS, migrate } from './migrations.js';
import type { SqlClient } from './sql-client.js';

describe('migrations', () => {
  it('refuses a list whose ids do not increase', async () => {
    const client = {} as SqlClient;
    await expect(
      migrate(client, [
        { id: 2, name: 'b', sql: '' },
        { id: 1, name: 'a', sql: '' },
      ]),
    ).rejects.toThrow(/must increase/);
  });

  it.skipIf(DATABASE_URL === undefined)(
    'instances starting at once apply each migration exactly once (advisory lock)',
    async () => {
      const t = await createTestSchema('migrate');
      try {
        const stores = await Promise.all(
          Array.from({ length: 5 }, () =>
            createStore({ url: t.url, schema: t.schema, pool: { max: 1 } }),
          ),
        );
        await Promise.all(stores.map((s) => s.migrate()));
        await Promise.all(stores.map((s) => s.close()));
        const { rows } = await t.pool.query<{ id: number }>(
          'SELECT id FROM orchestrator_migrations ORDER BY id',
        );
        expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
        const tables = await t.pool.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
          [t.schema],
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual([
          'api_keys',
          'batch_items',
          'batches',
          'feedback',
          'models',
          'orchestrator_migrations',
          'preferences',
          'usage',
        ]);
      } finally {
        await t.drop();
      }
    },
  );
});
