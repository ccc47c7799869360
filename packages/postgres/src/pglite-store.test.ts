import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreBehaviour, usageRecord } from './__tests__/store-behaviour.js';
import { createStoreFromEnv, openPglite } from './create-store.js';
import { createSqlStore } from './sql/sql-store.js';

// PGlite's first start runs initdb: about a second on an idle machine, far
// more on a loaded one. So the file starts PGlite once (in memory, as
// createStore() opens it), and the data-directory tests below reuse that
// cluster through a dump instead of running initdb again.
let dump: File | Blob | undefined;

describeStoreBehaviour(
  'PGlite (in memory)',
  async () => {
    const { db, client } = await openPglite();
    const store = createSqlStore(client);
    await store.migrate();
    await store.models.upsert({
      name: 'kept',
      provider: 'ollama',
      modelId: 'llama3',
      settings: { keepAlive: '5m' },
      enabled: true,
    });
    store.usage.record(usageRecord({ requestId: 'persisted', user: 'persistence-check' }));
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
      async close() {
        await store.usage.flush();
        dump = await db.dumpDataDir('none');
        await store.close();
      },
    };
  },
  120_000,
);

describe('PGlite in a data directory, through createStoreFromEnv (no DATABASE_URL)', () => {
  let root: string | undefined;
  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('reopens what was written, keeps what close() flushed, and applies no migration twice', async () => {
    if (dump === undefined) throw new Error('the behaviour suite did not leave a dump');
    root = await mkdtemp(join(tmpdir(), 'orch-pglite-'));
    const dataDir = join(root, 'nested', 'pglite');
    await mkdir(join(root, 'nested'));
    const seeded = await PGlite.create(dataDir, { loadDataDir: dump });
    await seeded.close();

    const first = await createStoreFromEnv({ env: {}, dataDir });
    expect(first.kind).toBe('pglite');
    expect(await first.models.get('kept')).toMatchObject({ settings: { keepAlive: '5m' } });
    expect(
      (await first.usage.query({ user: 'persistence-check' })).map((r) => r.requestId),
    ).toEqual(['persisted']);
    first.usage.record(usageRecord({ requestId: 'flushed-on-close', user: 'persistence-check' }));
    await first.close();
    expect(first.usage.outboxStats()).toMatchObject({ pending: 0, dropped: 0, written: 1 });
    // After close there is no writer: a late record is counted as dropped, never thrown.
    expect(() => first.usage.record(usageRecord({ requestId: 'too-late' }))).not.toThrow();
    expect(first.usage.outboxStats()).toMatchObject({ pending: 0, dropped: 1 });

    const second = await createStoreFromEnv({ env: {}, dataDir });
    try {
      const ids = (await second.usage.query({ user: 'persistence-check' })).map((r) => r.requestId);
      expect(ids.sort()).toEqual(['flushed-on-close', 'persisted']);
      await second.migrate();
    } finally {
      await second.close();
    }
  }, 60_000);
});
