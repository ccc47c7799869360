import { describe } from 'vitest';
import { createTestSchema, DATABASE_URL } from './__tests__/pg-test-schema.js';
import { describeStoreBehaviour } from './__tests__/store-behaviour.js';
import { createStore } from './create-store.js';

describe.skipIf(DATABASE_URL === undefined)('real PostgreSQL (DATABASE_URL)', () => {
  describeStoreBehaviour('PostgreSQL', async () => {
    const t = await createTestSchema('store');
    const store = await createStore({ url: t.url, schema: t.schema }).catch(async (error) => {
      await t.drop();
      throw error;
    });
    return {
      store,
      async ageClaims(batchId, ms) {
        await t.pool.query(
          `UPDATE batch_items SET updated_at = updated_at - $2::double precision * interval '1 millisecond'
            WHERE batch_id = $1 AND status = 'running'`,
          [batchId, ms],
        );
      },
      async feedbackCount(requestId) {
        const { rows } = await t.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM feedback WHERE request_id = $1',
          [requestId],
        );
        return rows[0]!.n;
      },
      async close() {
        await store.close();
        await t.drop();
      },
    };
  });
});
