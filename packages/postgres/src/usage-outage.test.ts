import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, DATABASE_URL, type TestSchema } from './__tests__/pg-test-schema.js';
import { usageRecord } from './__tests__/store-behaviour.js';
import { TcpProxy, targetOf, viaProxy } from './__tests__/tcp-proxy.js';
import { createStore } from './create-store.js';
import type { SqlGatewayStore } from './sql/sql-store.js';

// RELIABILITY.md: "PostgreSQL down: usage records wait in a bounded outbox
// and are written exactly once when it returns, keyed by the gateway's own
// request id." The database goes down by stopping a loopback proxy we own.
describe.skipIf(DATABASE_URL === undefined)('usage outbox against a PostgreSQL outage', () => {
  let t: TestSchema;
  let proxy: TcpProxy;
  let store: SqlGatewayStore;
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await createTestSchema('outage');
    proxy = new TcpProxy(targetOf(t.url));
    const port = await proxy.listen();
    store = await createStore({
      url: viaProxy(t.url, port),
      schema: t.schema,
      pool: { connectionTimeoutMillis: 2_000 },
      // Long enough that only flush() drives writes while the test steers the proxy.
      outbox: { batchSize: 100, retryBaseMs: 60_000, retryMaxMs: 60_000 },
      onError: (error) => errors.push(error),
    });
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await t?.drop();
  });

  const countRows = async (): Promise<{ rows: number; distinct: number }> => {
    const { rows } = await t.pool.query<{ rows: number; distinct: number }>(
      `SELECT count(*)::int AS rows,
              count(DISTINCT (request_id, attempt))::int AS distinct FROM usage`,
    );
    return rows[0]!;
  };

  it('keeps 1,000 records through the outage and writes each exactly once, even after a lost acknowledgement', async () => {
    proxy.down();
    const records = Array.from({ length: 1000 }, (_, i) =>
      usageRecord({ requestId: `outage-${String(i).padStart(4, '0')}`, attempt: 1 + (i % 3) }),
    );
    const started = performance.now();
    for (const record of records) store.usage.record(record);
    // Recording is a push onto an array: it does not wait for the database.
    expect(performance.now() - started).toBeLessThan(200);

    // Flush while down resolves (the wait is bounded) and keeps everything.
    await store.usage.flush();
    expect(store.usage.outboxStats()).toMatchObject({ pending: 1000, dropped: 0, written: 0 });
    expect(errors.length).toBeGreaterThan(0);
    expect(await countRows()).toEqual({ rows: 0, distinct: 0 });

    // Back up — and the first batch commits but its answer is lost on the way back.
    proxy.up();
    const cut = proxy.cutAfterCommitOfNext('INSERT INTO usage');
    await store.usage.flush();
    await cut;
    const afterCut = await countRows();
    expect(afterCut.rows).toBe(100); // committed, yet unacknowledged…
    expect(store.usage.outboxStats()).toMatchObject({ pending: 1000, written: 0 }); // …so kept.

    // The retry replays that batch; ON CONFLICT (request_id, attempt) makes it a no-op.
    await store.usage.flush();
    expect(store.usage.outboxStats()).toMatchObject({ pending: 0, dropped: 0, written: 1000 });
    expect(await countRows()).toEqual({ rows: 1000, distinct: 1000 });

    // A record replayed later still lands once.
    store.usage.record(records[0]!);
    await store.usage.flush();
    expect(await countRows()).toEqual({ rows: 1000, distinct: 1000 });
    const { rows } = await t.pool.query<{ request_id: string }>(
      `SELECT request_id FROM usage ORDER BY request_id`,
    );
    expect(rows.map((r) => r.request_id)).toEqual(records.map((r) => r.requestId));
  });

  it('no error message carries the connection URL', () => {
    for (const error of errors) {
      expect(String((error as Error).message)).not.toContain('postgres://');
    }
  });
});

describe.skipIf(DATABASE_URL === undefined)('usage outbox against a frozen PostgreSQL', () => {
  it('a database that stops answering bounds flush and close; nothing is lost or doubled', async () => {
    const t = await createTestSchema('frozen');
    const proxy = new TcpProxy(targetOf(t.url));
    let store: SqlGatewayStore | undefined;
    try {
      const port = await proxy.listen();
      // Migrate directly, so the short timeouts below only meet the frozen phase.
      await (await createStore({ url: t.url, schema: t.schema })).close();
      store = await createStore({
        url: viaProxy(t.url, port),
        schema: t.schema,
        migrate: false,
        pool: { connectionTimeoutMillis: 1_000, queryTimeoutMs: 1_000 },
        outbox: { retryBaseMs: 60_000, retryMaxMs: 60_000 },
        closeTimeoutMs: 2_000,
      });
      proxy.freeze();
      for (let i = 0; i < 10; i++) store.usage.record(usageRecord({ requestId: `frozen-${i}` }));
      const started = performance.now();
      await store.usage.flush(); // ends by the client-side query/connect timeout, not never
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(store.usage.outboxStats()).toMatchObject({ pending: 10, written: 0 });
      proxy.thaw();
      // The connection that timed out is discarded; on a loaded machine a fresh
      // one may itself take a moment, so a few flushes are allowed.
      for (let i = 0; i < 5 && store.usage.outboxStats().pending > 0; i++) {
        await store.usage.flush();
      }
      expect(store.usage.outboxStats()).toMatchObject({ pending: 0, dropped: 0, written: 10 });
      const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM usage');
      expect(rows[0]!.n).toBe(10);
    } finally {
      await store?.close();
      await proxy.close();
      await t.drop();
    }
  });
});
