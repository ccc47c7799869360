import { describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../testing/expect-fields.js';
import { ManualClock } from '../util/clock.js';
import { BudgetExceededError, BudgetUnavailableError } from './budget-exceeded-error.js';
import type { BudgetLedger } from './budget-ledger.js';
import { BudgetManager } from './budget-manager.js';
import { MemoryBudgetLedger } from './memory-budget-ledger.js';
import { usdToMicros } from './money.js';

/** A ledger whose calls resolve after a random number of turns, so concurrent callers interleave. */
function jitteryLedger(inner: BudgetLedger, random: () => number): BudgetLedger {
  const delay = async (): Promise<void> => {
    const turns = Math.floor(random() * 5);
    for (let i = 0; i < turns; i++) await Promise.resolve();
  };
  return {
    reserve: async (...args) => {
      await delay();
      return inner.reserve(...args);
    },
    commit: async (...args) => {
      await delay();
      return inner.commit(...args);
    },
    release: async (...args) => {
      await delay();
      return inner.release(...args);
    },
    record: async (...args) => {
      await delay();
      return inner.record(...args);
    },
    usage: async (...args) => {
      await delay();
      return inner.usage(...args);
    },
  };
}

describe('BudgetManager', () => {
  it('rejects before the call when the worst case exceeds the per-request cap', async () => {
    const budgets = new BudgetManager({ maxCostPerRequestUsd: 0.5 });
    const error = await budgets.reserve({ worstCaseUsd: 0.6 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({
      code: 'budget_exceeded',
      budget: 'request',
      limitUsd: 0.5,
      requestedUsd: 0.6,
    });
    // The request's own cap is combined with the configured one: the lower wins.
    await expect(budgets.reserve({ worstCaseUsd: 0.2, maxCostUsd: 0.1 })).rejects.toMatchObject({
      limitUsd: 0.1,
    });
    await expect(budgets.reserve({ worstCaseUsd: 0.5 })).resolves.toBeDefined();
  });

  it('enforces a per-user monthly budget by default and says what was spent', async () => {
    const clock = new ManualClock(Date.parse('2025-05-20T10:00:00Z'));
    const budgets = new BudgetManager({ clock, perUser: { limitUsd: 1 } });
    const first = await budgets.reserve({ user: 'alice', worstCaseUsd: 0.8 });
    await first.commit(0.7);
    const error = await budgets
      .reserve({ user: 'alice', worstCaseUsd: 0.4 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'budget_exceeded',
      budget: 'user',
      period: 'monthly',
      limitUsd: 1,
      spentUsd: 0.7,
      requestedUsd: 0.4,
      resetsAt: Date.parse('2025-06-01T00:00:00Z'),
    });
    expect((error as Error).message).toContain('monthly budget of $1.00');
    // Another user is untouched, and the next month starts afresh.
    await expect(budgets.reserve({ user: 'bob', worstCaseUsd: 0.9 })).resolves.toBeDefined();
    clock.set(Date.parse('2025-06-01T00:00:00Z'));
    await expect(budgets.reserve({ user: 'alice', worstCaseUsd: 0.9 })).resolves.toBeDefined();
  });

  it('uses per-user overrides and periods, own keys only', async () => {
    const clock = new ManualClock(Date.parse('2025-05-20T10:00:00Z'));
    const budgets = new BudgetManager({
      clock,
      perUser: { limitUsd: 1 },
      users: {
        whale: { limitUsd: Number.POSITIVE_INFINITY },
        daily: { limitUsd: 0.1, period: 'daily' },
      },
    });
    expect(budgets.budgetFor('constructor')).toEqual({ limitUsd: 1 });
    expect(
      (await budgets.reserve({ user: 'whale', worstCaseUsd: 50 })).reservationId,
    ).toBeUndefined();
    await (await budgets.reserve({ user: 'daily', worstCaseUsd: 0.1 })).commit(0.1);
    await expect(budgets.reserve({ user: 'daily', worstCaseUsd: 0.01 })).rejects.toMatchObject({
      period: 'daily',
    });
    clock.advance(24 * 60 * 60 * 1000);
    await expect(budgets.reserve({ user: 'daily', worstCaseUsd: 0.01 })).resolves.toBeDefined();
  });

  it('settles a handle once: release frees the hold, a second commit does nothing', async () => {
    const budgets = new BudgetManager({ perUser: { limitUsd: 1 } });
    const held = await budgets.reserve({ user: 'u', worstCaseUsd: 1 });
    await held.release();
    await held.commit(1);
    expect(held.state).toBe('released');
    const next = await budgets.reserve({ user: 'u', worstCaseUsd: 1 });
    await next.commit(0.25);
    await next.commit(0.25);
    expect(await budgets.status('u')).toMatchObject({
      spentUsd: 0.25,
      reservedUsd: 0,
      remainingUsd: 0.75,
    });
  });

  it('a crashed request cannot hold budget past the reservation TTL', async () => {
    const clock = new ManualClock(Date.parse('2025-05-20T10:00:00Z'));
    const budgets = new BudgetManager({
      clock,
      perUser: { limitUsd: 1 },
      reservationTtlMs: 60_000,
    });
    await budgets.reserve({ user: 'u', worstCaseUsd: 1 }); // never settled
    await expect(budgets.reserve({ user: 'u', worstCaseUsd: 0.5 })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
    clock.advance(60_000);
    await expect(budgets.reserve({ user: 'u', worstCaseUsd: 0.5 })).resolves.toBeDefined();
  });

  it('fails closed by default when the ledger is down, open when configured', async () => {
    const down: BudgetLedger = {
      reserve: () => Promise.reject(new Error('ECONNREFUSED')),
      commit: () => Promise.reject(new Error('ECONNREFUSED')),
      release: () => Promise.reject(new Error('ECONNREFUSED')),
      record: () => Promise.reject(new Error('ECONNREFUSED')),
      usage: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const onError = vi.fn();
    const closed = new BudgetManager({ ledger: down, perUser: { limitUsd: 1 }, onError });
    await expect(closed.reserve({ user: 'u', worstCaseUsd: 0.1 })).rejects.toBeInstanceOf(
      BudgetUnavailableError,
    );
    expect(onError).toHaveBeenCalledOnce();
    const open = new BudgetManager({ ledger: down, perUser: { limitUsd: 1 }, failMode: 'open' });
    const handle = await open.reserve({ user: 'u', worstCaseUsd: 0.1 });
    await expect(handle.commit(0.1)).resolves.toBeUndefined();
  });

  it('never throws from commit when the ledger fails after the call', async () => {
    const inner = new MemoryBudgetLedger();
    const onError = vi.fn();
    const flaky: BudgetLedger = {
      ...bind(inner),
      commit: () => Promise.reject(new Error('timeout')),
    };
    const budgets = new BudgetManager({ ledger: flaky, perUser: { limitUsd: 1 }, onError });
    const handle = await budgets.reserve({ user: 'u', worstCaseUsd: 0.1 });
    await expect(handle.commit(0.1)).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledOnce();
  });

  it('50 concurrent $0.10 reservations against $1: at most 10 admitted, spend never over $1', async () => {
    const random = seededRandom(7);
    const ledger = jitteryLedger(new MemoryBudgetLedger(), random);
    const budgets = new BudgetManager({ ledger, perUser: { limitUsd: 1 } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => budgets.reserve({ user: 'u', worstCaseUsd: 0.1 })),
    );
    const admitted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(admitted).toHaveLength(10);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(BudgetExceededError);
    }
    await Promise.all(admitted.map((handle) => handle.commit(0.1)));
    const status = await budgets.status('u');
    expect(status).toMatchObject({ spentUsd: 1, reservedUsd: 0, remainingUsd: 0 });
  });

  it('random worst cases, actual costs and releases never push spend past the budget (seeded)', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const ledger = jitteryLedger(new MemoryBudgetLedger(), random);
      const budgets = new BudgetManager({ ledger, perUser: { limitUsd: 1 } });
      let committedMicros = 0;
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          Array.from({ length: 25 }, async () => {
            const worst = Math.round(random() * 0.2 * 1e6) / 1e6;
            let handle: Awaited<ReturnType<BudgetManager['reserve']>>;
            try {
              handle = await budgets.reserve({ user: 'u', worstCaseUsd: worst });
            } catch (error) {
              expect(error).toBeInstanceOf(BudgetExceededError);
              return;
            }
            for (let i = 0; i < Math.floor(random() * 3); i++) await Promise.resolve();
            if (random() < 0.3) {
              await handle.release();
            } else {
              const actual = worst * random();
              committedMicros += usdToMicros(actual);
              await handle.commit(actual);
            }
          }),
        );
        const status = await budgets.status('u');
        expect(status!.reservedUsd).toBe(0);
        expect(usdToMicros(status!.spentUsd)).toBe(committedMicros);
        expect(status!.spentUsd).toBeLessThanOrEqual(1);
      }
      // The budget was actually used, not refused wholesale.
      expect(committedMicros).toBeGreaterThan(500_000);
    }
  });
});

function bind(ledger: BudgetLedger): BudgetLedger {
  return {
    reserve: (...a) => ledger.reserve(...a),
    commit: (...a) => ledger.commit(...a),
    release: (...a) => ledger.release(...a),
    record: (...a) => ledger.record(...a),
    usage: (...a) => ledger.usage(...a),
  };
}
