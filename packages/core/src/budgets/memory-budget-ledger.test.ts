import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { MemoryBudgetLedger } from './memory-budget-ledger.js';

const TTL = 60_000;

describe('MemoryBudgetLedger', () => {
  it('admits only what fits in spent + reserved + amount <= limit', async () => {
    const ledger = new MemoryBudgetLedger({ clock: new ManualClock(0) });
    const a = await ledger.reserve('u', 0.6, 1, 'p', TTL);
    expect(a).toMatchObject({ ok: true, spentUsd: 0, reservedUsd: 0.6, remainingUsd: 0.4 });
    expect(await ledger.reserve('u', 0.5, 1, 'p', TTL)).toMatchObject({
      ok: false,
      reservedUsd: 0.6,
    });
    expect((await ledger.reserve('u', 0.4, 1, 'p', TTL)).ok).toBe(true);
    expect((await ledger.reserve('u', 0.5, 1, 'other-period', TTL)).ok).toBe(true);
    expect((await ledger.reserve('v', 0.5, 1, 'p', TTL)).ok).toBe(true);
  });

  it('commits actual cost and releases the rest of the hold', async () => {
    const ledger = new MemoryBudgetLedger({ clock: new ManualClock(0) });
    const r = await ledger.reserve('u', 0.5, 1, 'p', TTL);
    expect(await ledger.commit(r.reservationId!, 0.2)).toEqual({ ok: true, spentUsd: 0.2 });
    expect(await ledger.usage('u', 'p')).toEqual({ spentUsd: 0.2, reservedUsd: 0 });
    expect(await ledger.commit(r.reservationId!, 0.2)).toMatchObject({ ok: false });
    const s = await ledger.reserve('u', 0.8, 1, 'p', TTL);
    expect(s.ok).toBe(true);
    expect(await ledger.release(s.reservationId!)).toBe(true);
    expect(await ledger.release(s.reservationId!)).toBe(false);
    expect(await ledger.usage('u', 'p')).toEqual({ spentUsd: 0.2, reservedUsd: 0 });
  });

  it('stops counting a reservation after its TTL, yet still charges a late commit', async () => {
    const clock = new ManualClock(0);
    const ledger = new MemoryBudgetLedger({ clock });
    const r = await ledger.reserve('u', 1, 1, 'p', TTL);
    expect((await ledger.reserve('u', 0.1, 1, 'p', TTL)).ok).toBe(false);
    clock.advance(TTL);
    expect((await ledger.usage('u', 'p')).reservedUsd).toBe(0);
    expect(await ledger.commit(r.reservationId!, 0.3)).toEqual({ ok: true, spentUsd: 0.3 });
  });

  it('forgets expired reservations after the retention period', async () => {
    const clock = new ManualClock(0);
    const ledger = new MemoryBudgetLedger({ clock, retentionMs: 1_000 });
    const r = await ledger.reserve('u', 0.1, 1, 'p', TTL);
    clock.advance(TTL + 1_000);
    for (let i = 0; i < 3; i++) await ledger.reserve('x', 0, 1, 'p', TTL);
    expect((await ledger.commit(r.reservationId!, 0.1)).ok).toBe(false);
  });

  it('records spend without a reservation and keeps sums exact', async () => {
    const ledger = new MemoryBudgetLedger();
    for (let i = 0; i < 10; i++) await ledger.record('u', 'p', 0.1);
    expect(await ledger.usage('u', 'p')).toEqual({ spentUsd: 1, reservedUsd: 0 });
    expect((await ledger.reserve('u', 0.000001, 1, 'p', TTL)).ok).toBe(false);
  });

  it('keeps scopes that would collide under naive concatenation apart', async () => {
    const ledger = new MemoryBudgetLedger();
    await ledger.record('a|b', 'c', 1);
    expect((await ledger.usage('a', 'b|c')).spentUsd).toBe(0);
  });

  it('refuses negative amounts', async () => {
    const ledger = new MemoryBudgetLedger();
    await expect(ledger.reserve('u', -1, 1, 'p', TTL)).rejects.toThrow(RangeError);
  });
});
