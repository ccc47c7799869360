import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreBehaviour, usageRecord } from './__tests__/store-behaviour.js';
import { createStoreFromEnv, openPglite } from './create-store.js';
import { createSqlStore } from './sql/sql-store.js';

// One PGlite data directory for the whole file: its first start runs initdb
// (about a second on an idle machine, far more on a loaded one); reopening an
// existing directory is quick, which the persistence test below relies on.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orch-pglite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeStoreBehaviour(
  'PGlite',
  async () => {
    // A nested directory that does not exist yet: created with its parents.
    const { db, client } = await openPglite(join(dir, 'nested', 'pglite'));
    const store = createSqlStore(client);
    await store.migrate();
    store.usage.record(usageRecord({ requestId: 'persisted', user: 'persistence-check' }));
    await store.models.upsert({
      name: 'kept',
      provider: 'ollama',
      modelId: 'llama3',
      settings: { keepAlive: '5m' },
      enabled: true,
    });
    return {
      store,
      async ageClaims(batchId, ms) {
        await db.query(
          `UPDATE batch_items SET updated_at = updated_at - $2::double precision * interval '1 millisecond'
            WHERE batch_id = $1 AND status = 'running'`,
          [batchId, ms],
        );
      },
      async feedbackCount(requestId) {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM feedback WHERE request_id = $1',
          [requestId],
        );
        return rows[0]!.n;
      },
      close: () => store.close(), // flushes the outbox, closes PGlite
    };
  },
  120_000,
);

describe('PGlite data directory, reopened through createStoreFromEnv', () => {
  it('keeps what was written (outbox flushed on close); migrations are not re-applied', async () => {
    // No DATABASE_URL in this environment: PGlite in the given directory.
    const store = await createStoreFromEnv({ env: {}, dataDir: join(dir, 'nested', 'pglite') });
    try {
      expect(store.kind).toBe('pglite');
      expect(await store.models.get('kept')).toMatchObject({ settings: { keepAlive: '5m' } });
      const rows = await store.usage.query({ user: 'persistence-check' });
      expect(rows.map((r) => r.requestId)).toEqual(['persisted']);
      await store.migrate();
    } finally {
      await store.close();
    }
  }, 60_000);
});
