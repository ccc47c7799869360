import { BudgetExceededError, BudgetManager, ManualClock, usdToMicros } from '@orchestrator/core';
import { budgetLedgerCases } from '@orchestrator/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUp,
  client,
  noRedis,
  ready,
  uniquePrefix,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { RedisBudgetLedger } from './redis-budget-ledger.js';

const TTL = 60_000;
const prefix = uniquePrefix('budget');
warnIfSkipped('RedisBudgetLedger');

describe.skipIf(noRedis)('RedisBudgetLedger', () => {
  afterAll(() => cleanUp(prefix));

  let n = 0;
  const make = async (options: { clock?: ManualClock; retentionMs?: number } = {}) =>
    new RedisBudgetLedger({
      client: await ready(client()),
      keyPrefix: `${prefix}${n++}:`,
      timeoutMs: 2_000,
      ...options,
    });

  // Core's BudgetLedger contract, as the memory ledger runs it.
  for (const c of budgetLedgerCases((clock) => make({ clock }))) it(c.name, c.run);

  it('forgets expired reservations after the retention period', async () => {
    const clock = new ManualClock(0);
    const ledger = await make({ clock, retentionMs: 1_000 });
    const r = await ledger.reserve('u', 0.1, 1, 'p', TTL);
    const kept = await ledger.reserve('u', 0.1, 1, 'p', TTL);
    clock.advance(TTL + 1_000);
    expect((await ledger.commit(r.reservationId!, 0.1)).ok).toBe(false);
    expect(await ledger.release(kept.reservationId!)).toBe(false);
    expect(await ledger.usage('u', 'p')).toEqual({ spentUsd: 0, reservedUsd: 0 });
  });

  it('treats foreign reservation ids as unknown', async () => {
    const ledger = await make();
    expect(await ledger.commit('not-a-reservation', 1)).toEqual({ ok: false, spentUsd: 0 });
    expect(await ledger.release(`${'x'.repeat(22)}.00000000-0000-0000-0000-000000000000`)).toBe(
      false,
    );
    expect(await ledger.reserve('u', 5, Number.POSITIVE_INFINITY, 'p', TTL)).toMatchObject({
      ok: true,
    });
  });

  it('lets the hold keys expire on their own once every reservation is past retention', async () => {
    const ledger = await make({ retentionMs: 1_000 });
    const c = await ready(client());
    await ledger.reserve('u', 0.1, 1, 'p', 5_000);
    const keys = await c.keys(`${ledger.keyPrefix}*`);
    const ttls = await Promise.all(keys.map((k) => c.pttl(k)));
    // The account (spend history) is kept; holds and amounts vanish after TTL + retention.
    expect(ttls.filter((t) => t === -1)).toHaveLength(1);
    expect(ttls.filter((t) => t > 0 && t <= 6_000)).toHaveLength(2);
  });

  it('admits at most $1 of 50 concurrent $0.10 reservations over 3 connections', async () => {
    const keyPrefix = `${prefix}race:`;
    const clients = await Promise.all([0, 1, 2].map(() => ready(client())));
    const ledgers = clients.map(
      (c) => new RedisBudgetLedger({ client: c, keyPrefix, timeoutMs: 5_000 }),
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ledgers[i % 3]!.reserve('user:alice', 0.1, 1, '2026-11', TTL),
      ),
    );
    const admitted = results.filter((r) => r.ok);
    expect(admitted).toHaveLength(10);
    // Each admitted call is billed its worst case, concurrently, from any instance.
    await Promise.all(admitted.map((r, i) => ledgers[(i + 1) % 3]!.commit(r.reservationId!, 0.1)));
    const usage = await ledgers[2]!.usage('user:alice', '2026-11');
    expect(usdToMicros(usage.spentUsd)).toBeLessThanOrEqual(usdToMicros(1));
    expect(usage).toEqual({ spentUsd: 1, reservedUsd: 0 });
  });

  it("backs core's BudgetManager on several instances without ever passing the budget", async () => {
    const keyPrefix = `${prefix}manager:`;
    const clock = new ManualClock(Date.parse('2026-11-21T12:00:00Z'));
    const clients = await Promise.all([0, 1, 2].map(() => ready(client())));
    const managers = clients.map(
      (c) =>
        new BudgetManager({
          ledger: new RedisBudgetLedger({ client: c, keyPrefix, timeoutMs: 5_000, clock }),
          clock,
          perUser: { limitUsd: 1 },
          timeoutMs: 5_000,
        }),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, async (_, i) => {
        const reservation = await managers[i % 3]!.reserve({ user: 'bob', worstCaseUsd: 0.25 });
        // Actual cost below the worst case: the difference returns to the budget.
        await reservation.commit(0.2);
      }),
    );
    const admitted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(admitted).toBeGreaterThanOrEqual(4);
    expect(admitted).toBeLessThanOrEqual(5);
    expect(refused.every((o) => o.reason instanceof BudgetExceededError)).toBe(true);
    const status = await managers[1]!.status('bob');
    expect(status?.spentUsd).toBeLessThanOrEqual(1);
    expect(status?.spentUsd).toBeCloseTo(admitted * 0.2, 6);
    expect(status?.reservedUsd).toBe(0);
  });
});
