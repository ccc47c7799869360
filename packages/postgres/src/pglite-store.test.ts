import { PGlite } from '@electric-sql/pglite';
import { describeStoreBehaviour } from './__tests__/store-behaviour.js';
import { pgliteClient } from './sql/sql-client.js';
import { createSqlStore } from './sql/sql-store.js';

describeStoreBehaviour('PGlite (in memory)', async () => {
  const db = await PGlite.create();
  const store = createSqlStore(pgliteClient(db));
  await store.migrate();
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
    close: () => store.close(),
  };
});
