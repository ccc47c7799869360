import assert from 'node:assert/strict';
import type { BudgetLedger } from '../budgets/budget-ledger.js';
import { ManualClock } from '../util/clock.js';
import type { BehaviourCase } from './behaviour-case.js';
import { expectFields } from './expect-fields.js';

const TTL = 60_000;

/**
 * The behaviour every `BudgetLedger` promises (atomic reserve against a limit,
 * commit of the actual cost, release, reservations that lapse after their TTL,
 * exact sums, scopes kept apart), as cases to run against a fresh ledger on
 * its own key space that reads time from `clock`.
 */
export function budgetLedgerCases(
  make: (clock: ManualClock) => Promise<BudgetLedger>,
): BehaviourCase[] {
  return [
    {
      name: 'admits only what fits in spent + reserved + amount <= limit',
      async run() {
        const ledger = await make(new ManualClock(0));
        expectFields(
          await ledger.reserve('u', 0.6, 1, 'p', TTL),
          { ok: true, spentUsd: 0, reservedUsd: 0.6, remainingUsd: 0.4 },
          'first',
        );
        expectFields(
          await ledger.reserve('u', 0.5, 1, 'p', TTL),
          { ok: false, reservedUsd: 0.6 },
          'over',
        );
        assert.equal((await ledger.reserve('u', 0.4, 1, 'p', TTL)).ok, true);
        assert.equal((await ledger.reserve('u', 0.5, 1, 'other-period', TTL)).ok, true);
        assert.equal((await ledger.reserve('v', 0.5, 1, 'p', TTL)).ok, true);
      },
    },
    {
      name: 'commits actual cost and releases the rest of the hold',
      async run() {
        const ledger = await make(new ManualClock(0));
        const r = await ledger.reserve('u', 0.5, 1, 'p', TTL);
        assert.deepEqual(await ledger.commit(r.reservationId!, 0.2), { ok: true, spentUsd: 0.2 });
        assert.deepEqual(await ledger.usage('u', 'p'), { spentUsd: 0.2, reservedUsd: 0 });
        assert.equal((await ledger.commit(r.reservationId!, 0.2)).ok, false);
        const s = await ledger.reserve('u', 0.8, 1, 'p', TTL);
        assert.equal(s.ok, true);
        assert.equal(await ledger.release(s.reservationId!), true);
        assert.equal(await ledger.release(s.reservationId!), false);
        assert.deepEqual(await ledger.usage('u', 'p'), { spentUsd: 0.2, reservedUsd: 0 });
      },
    },
    {
      name: 'stops counting a reservation after its TTL, yet still charges a late commit',
      async run() {
        const clock = new ManualClock(0);
        const ledger = await make(clock);
        const r = await ledger.reserve('u', 1, 1, 'p', TTL);
        assert.equal((await ledger.reserve('u', 0.1, 1, 'p', TTL)).ok, false);
        clock.advance(TTL);
        assert.equal((await ledger.usage('u', 'p')).reservedUsd, 0);
        assert.deepEqual(await ledger.commit(r.reservationId!, 0.3), { ok: true, spentUsd: 0.3 });
      },
    },
    {
      name: 'records spend without a reservation and keeps sums exact',
      async run() {
        const ledger = await make(new ManualClock(0));
        for (let i = 0; i < 10; i++) await ledger.record('u', 'p', 0.1);
        assert.deepEqual(await ledger.usage('u', 'p'), { spentUsd: 1, reservedUsd: 0 });
        assert.equal((await ledger.reserve('u', 0.000001, 1, 'p', TTL)).ok, false);
      },
    },
    {
      name: 'keeps scopes that would collide under naive concatenation apart',
      async run() {
        const ledger = await make(new ManualClock(0));
        await ledger.record('a|b', 'c', 1);
        assert.equal((await ledger.usage('a', 'b|c')).spentUsd, 0);
      },
    },
    {
      name: 'refuses negative amounts',
      async run() {
        const ledger = await make(new ManualClock(0));
        await assert.rejects(ledger.reserve('u', -1, 1, 'p', TTL), RangeError);
      },
    },
  ];
}
