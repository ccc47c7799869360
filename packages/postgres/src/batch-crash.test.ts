import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, DATABASE_URL, type TestSchema } from './__tests__/pg-test-schema.js';
import { createStore } from './create-store.js';
import type { BatchItemRecord, GatewayStore } from './gateway-store.js';

// RELIABILITY.md: "A crash mid-batch loses no accepted item and duplicates
// none on restart." Two gateway instances = two stores with their own pools.
describe.skipIf(DATABASE_URL === undefined)('batches across instances (real PostgreSQL)', () => {
  let t: TestSchema;
  let a: GatewayStore;
  let b: GatewayStore;
  beforeAll(async () => {
    t = await createTestSchema('batch');
    // Both migrate at once: the advisory lock makes one apply, the other find it done.
    [a, b] = await Promise.all([
      createStore({ url: t.url, schema: t.schema, pool: { max: 3 } }),
      createStore({ url: t.url, schema: t.schema, pool: { max: 3 } }),
    ]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.drop();
  });

  it('applied each migration once although both instances migrated concurrently', async () => {
    const { rows } = await t.pool.query<{ id: number; n: number }>(
      'SELECT id, count(*)::int AS n FROM orchestrator_migrations GROUP BY id ORDER BY id',
    );
    expect(rows).toEqual([{ id: 1, n: 1 }]);
  });

  it('a crash mid-batch loses no accepted item and duplicates none on restart', async () => {
    const total = 300;
    const id = 'crash-batch';
    await a.batches.create(
      { id, user: 'alice', total, options: {} },
      Array.from({ length: total }, (_, i) => ({ n: i })),
    );
    const runs = new Map<number, number>(); // index → successful completions
    const complete = async (store: GatewayStore, items: BatchItemRecord[]): Promise<void> => {
      for (const item of items) {
        const moved = await store.batches.complete(id, item.index, {
          status: item.index % 7 === 0 ? 'failed' : 'succeeded',
          result: { echo: (item.request as { n: number }).n },
        });
        if (moved) runs.set(item.index, (runs.get(item.index) ?? 0) + 1);
      }
    };

    // Both instances claim concurrently, several rounds: every claim set is disjoint.
    const seen = new Set<number>();
    for (let round = 0; round < 5; round++) {
      const claims = await Promise.all([
        a.batches.claim(id, 10, 60_000),
        b.batches.claim(id, 10, 60_000),
        a.batches.claim(id, 10, 60_000),
        b.batches.claim(id, 10, 60_000),
      ]);
      for (const item of claims.flat()) {
        expect(seen.has(item.index)).toBe(false);
        seen.add(item.index);
      }
      // Instance a "crashes" in the last round: its claims from it are never completed.
      if (round < 4)
        await Promise.all([
          complete(a, claims[0]!),
          complete(b, claims[1]!),
          complete(a, claims[2]!),
          complete(b, claims[3]!),
        ]);
      else await complete(b, [...claims[1]!, ...claims[3]!]);
    }
    expect(seen.size).toBe(200);
    const abandoned = 20;
    await a.close();

    // Restart: a new instance finds the batch unfinished. Fresh claims are not stolen…
    const c = await createStore({ url: t.url, schema: t.schema, pool: { max: 3 } });
    try {
      expect((await c.batches.unfinished()).map((x) => x.id)).toEqual([id]);
      const rest: BatchItemRecord[] = [];
      for (;;) {
        const got = await c.batches.claim(id, 25, 60_000);
        if (got.length === 0) break;
        rest.push(...got);
      }
      expect(rest).toHaveLength(total - 200);
      await complete(c, rest);
      expect((await c.batches.get(id))?.status).toBe('running');

      // …but once older than staleAfterMs (time moved by back-dating the claims), they return.
      await t.pool.query(
        `UPDATE batch_items SET updated_at = updated_at - interval '2 minutes'
          WHERE batch_id = $1 AND status = 'running'`,
        [id],
      );
      const reclaimed = await c.batches.claim(id, 100, 60_000);
      expect(reclaimed).toHaveLength(abandoned);
      expect(reclaimed.every((i) => i.attempts === 2)).toBe(true);
      await complete(c, reclaimed);
      // The crashed worker's late completion (or any duplicate) changes nothing.
      await complete(b, reclaimed);

      const batch = await c.batches.get(id);
      const failed = Array.from({ length: total }, (_, i) => i).filter((i) => i % 7 === 0).length;
      expect(batch).toMatchObject({
        status: 'completed',
        total,
        succeeded: total - failed,
        failed,
      });
      expect(runs.size).toBe(total);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      const items = await c.batches.items(id);
      expect(items.every((i) => (i.result as { echo: number }).echo === i.index)).toBe(true);
      expect(await c.batches.unfinished()).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
