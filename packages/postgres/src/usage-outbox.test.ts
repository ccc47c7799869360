import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usageRecord } from './__tests__/store-behaviour.js';
import type { UsageRecord } from './gateway-store.js';
import { UsageOutbox } from './usage-outbox.js';

/** A database stand-in: a table keyed like usage's primary key, which can be "down". */
function fakeTable() {
  const rows = new Map<string, UsageRecord>();
  const calls: number[] = [];
  let down = false;
  let hang: Promise<void> | undefined;
  return {
    rows,
    calls,
    setDown(value: boolean) {
      down = value;
    },
    hangUntil(p: Promise<void> | undefined) {
      hang = p;
    },
    write: async (records: readonly UsageRecord[]): Promise<void> => {
      calls.push(Date.now());
      if (hang !== undefined) await hang;
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      for (const r of records) {
        const key = `${r.requestId}/${r.attempt}`;
        if (!rows.has(key)) rows.set(key, r);
      }
    },
  };
}

const records = (n: number, prefix = 'r'): UsageRecord[] =>
  Array.from({ length: n }, (_, i) => usageRecord({ requestId: `${prefix}${i}` }));

describe('UsageOutbox', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes in batches in the background, without the caller waiting', async () => {
    const table = fakeTable();
    const outbox = new UsageOutbox(table.write, { batchSize: 10 });
    for (const r of records(25)) outbox.push(r);
    expect(table.calls).toHaveLength(0); // nothing happened on the request path
    await vi.runAllTimersAsync();
    expect(table.rows.size).toBe(25);
    expect(table.calls).toHaveLength(3);
    expect(outbox.stats()).toEqual({ pending: 0, dropped: 0, written: 25 });
  });

  it('keeps records while the database is down and retries with capped, growing backoff', async () => {
    const table = fakeTable();
    const errors: unknown[] = [];
    const outbox = new UsageOutbox(table.write, {
      retryBaseMs: 100,
      retryMaxMs: 1_000,
      onError: (e) => errors.push(e),
    });
    table.setDown(true);
    for (const r of records(50)) outbox.push(r);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outbox.stats()).toEqual({ pending: 50, dropped: 0, written: 0 });
    const gaps = table.calls.slice(1).map((t, i) => t - table.calls[i]!);
    expect(gaps.length).toBeGreaterThan(5);
    // Each wait is within [exp/2, exp] of 100·2^n capped at 1 s: growing, then flat.
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[0]).toBeLessThanOrEqual(200);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_000);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(500);
    expect(errors.length).toBe(table.calls.length);

    table.setDown(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(table.rows.size).toBe(50);
    expect(outbox.stats()).toEqual({ pending: 0, dropped: 0, written: 50 });
  });

  it('past its bound drops the OLDEST records and counts them', async () => {
    const table = fakeTable();
    const outbox = new UsageOutbox(table.write, { maxPending: 5, retryBaseMs: 1_000 });
    table.setDown(true);
    for (const r of records(8)) outbox.push(r);
    expect(outbox.stats()).toEqual({ pending: 5, dropped: 3, written: 0 });
    table.setDown(false);
    expect(await outbox.flush()).toBe(true);
    expect([...table.rows.values()].map((r) => r.requestId)).toEqual([
      'r3',
      'r4',
      'r5',
      'r6',
      'r7',
    ]);
  });

  it('never drops a batch already sent: the bound trims the queue behind it', async () => {
    const table = fakeTable();
    const outbox = new UsageOutbox(table.write, { maxPending: 4, batchSize: 2 });
    let release!: () => void;
    table.hangUntil(new Promise<void>((r) => (release = r)));
    for (const r of records(2, 'sent')) outbox.push(r);
    await vi.advanceTimersByTimeAsync(0); // the writer takes sent0, sent1 and hangs
    for (const r of records(4, 'q')) outbox.push(r);
    expect(outbox.stats()).toEqual({ pending: 4, dropped: 2, written: 0 });
    table.hangUntil(undefined);
    release();
    expect(await outbox.flush()).toBe(true);
    expect([...table.rows.keys()].map((k) => k.split('/')[0])).toEqual([
      'sent0',
      'sent1',
      'q2',
      'q3',
    ]);
  });

  it('flush ends at once when the database is down (bounded wait) and resumes later', async () => {
    const table = fakeTable();
    const outbox = new UsageOutbox(table.write, { retryBaseMs: 60_000 });
    table.setDown(true);
    for (const r of records(3)) outbox.push(r);
    expect(await outbox.flush()).toBe(false);
    expect(outbox.stats().pending).toBe(3);
    table.setDown(false);
    expect(await outbox.flush()).toBe(true);
    expect(outbox.stats()).toEqual({ pending: 0, dropped: 0, written: 3 });
  });

  it('a failed batch is replayed in its original order, before newer records', async () => {
    const table = fakeTable();
    const order: string[] = [];
    const outbox = new UsageOutbox(
      async (batch) => {
        await table.write(batch);
        order.push(...batch.map((r) => r.requestId));
      },
      { batchSize: 2, retryBaseMs: 60_000 },
    );
    table.setDown(true);
    for (const r of records(3, 'a')) outbox.push(r);
    expect(await outbox.flush()).toBe(false);
    outbox.push(usageRecord({ requestId: 'later' }));
    table.setDown(false);
    await outbox.flush();
    expect(order).toEqual(['a0', 'a1', 'a2', 'later']);
  });

  it('push never throws, even when a listener or the writer misbehaves', async () => {
    const outbox = new UsageOutbox(
      () => {
        throw new Error('sync throw');
      },
      {
        onError: () => {
          throw new Error('bad listener');
        },
      },
    );
    expect(() => outbox.push(usageRecord())).not.toThrow();
    expect(await outbox.flush()).toBe(false);
    expect(outbox.stats().pending).toBe(1);
  });

  it('rejects a nonsensical configuration by name', () => {
    expect(() => new UsageOutbox(async () => {}, { maxPending: 0 })).toThrow(/maxPending/);
    expect(() => new UsageOutbox(async () => {}, { batchSize: 1.5 })).toThrow(/batchSize/);
  });
});
