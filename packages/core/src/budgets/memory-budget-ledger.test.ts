import { describe, expect, it } from 'vitest';
import { budgetLedgerCases } from '../testing/budget-ledger-cases.js';
import { ManualClock } from '../util/clock.js';
import { MemoryBudgetLedger } from './memory-budget-ledger.js';

const TTL = 60_000;

describe('MemoryBudgetLedger', () => {
  // The BudgetLedger contract; the Redis ledger runs the same cases.
  for (const c of budgetLedgerCases(async (clock) => new MemoryBudgetLedger({ clock }))) {
    it(c.name, c.run);
  }

  it('forgets expired reservations after the retention period', async () => {
    const clock = new ManualClock(0);
    const ledger = new MemoryBudgetLedger({ clock, retentionMs: 1_000 });
    const r = await ledger.reserve('u', 0.1, 1, 'p', TTL);
    clock.advance(TTL + 1_000);
    for (let i = 0; i < 3; i++) await ledger.reserve('x', 0, 1, 'p', TTL);
    expect((await ledger.commit(r.reservationId!, 0.1)).ok).toBe(false);
  });
});
