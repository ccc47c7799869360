import { describeStoreBehaviour } from './__tests__/store-behaviour.js';
import { openPglite } from './create-store.js';
import { createSqlStore } from './sql/sql-store.js';

// PGlite in memory, as createStore() opens it; one instance for the whole file
// because its start runs initdb (about a second idle, far more on a loaded machine).
describeStoreBehaviour(
  'PGlite (in memory)',
  async () => {
    const { db, client } = await openPglite();
    const store = createSqlStore(client);
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
  },
  120_000,
);
