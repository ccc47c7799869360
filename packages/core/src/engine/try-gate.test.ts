import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import type { BudgetLedger } from '../budgets/budget-ledger.js';
import { BudgetManager } from '../budgets/budget-manager.js';
import { MemoryBudgetLedger } from '../budgets/memory-budget-ledger.js';
import { ModelHealthMonitor } from '../health/model-health-monitor.js';
import type { CounterStore } from '../limits/counter-store.js';
import { MemoryCounterStore } from '../limits/memory-counter-store.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import type { ChatRequest } from '../types/chat.js';
import { ManualClock } from '../util/clock.js';
import { isRefusal, openTry, type TryHold } from './try-gate.js';

const request: ChatRequest = { messages: [{ role: 'user', content: 'Hello there.' }] };

function setup(options: { counters?: CounterStore; ledger?: BudgetLedger; limitUsd?: number }) {
  const clock = new ManualClock(1_000_000);
  const model = new EchoModel({
    name: 'm',
    pricing: { inputPerMillion: 1_000, outputPerMillion: 1_000 },
    capabilities: { maxOutputTokens: 100 },
  });
  const health = new ModelHealthMonitor({ checkInterval: 0, clock });
  health.watch(model);
  const limiter = new RateLimiter({
    clock,
    store: options.counters ?? new MemoryCounterStore({ clock }),
    perUser: { rpm: 1 },
  });
  const budgets = new BudgetManager({
    clock,
    ledger: options.ledger ?? new MemoryBudgetLedger({ clock }),
    perUser: { limitUsd: options.limitUsd ?? 1 },
  });
  const open = (user = 'u') => openTry(model, request, user, undefined, health, limiter, budgets);
  return { model, health, limiter, budgets, open };
}

/** The same memory stores behind promises, as a remote store would answer. */
function asyncCounters(inner: MemoryCounterStore): CounterStore {
  return {
    consume: (...args) => inner.consume(...args),
    refund: (...args) => inner.refund(...args),
    peek: (...args) => inner.peek(...args),
  };
}
function asyncLedger(inner: MemoryBudgetLedger): BudgetLedger {
  return {
    reserve: (...args) => inner.reserve(...args),
    commit: (...args) => inner.commit(...args),
    release: (...args) => inner.release(...args),
    record: (...args) => inner.record(...args),
    usage: (...args) => inner.usage(...args),
  };
}

describe('openTry', () => {
  it('answers synchronously on in-memory limits and budgets, and settles synchronously', async () => {
    const { open, budgets } = setup({});
    const hold = open();
    expect(hold).not.toBeInstanceOf(Promise);
    expect(isRefusal(hold as TryHold)).toBe(false);
    const held = hold as TryHold;
    expect(held.ticket?.buckets).toHaveLength(1);
    expect((await budgets.status('u'))?.reservedUsd).toBeGreaterThan(0);
    expect(held.reservation.commitFast(0.001)).toBeUndefined();
    expect(await budgets.status('u')).toMatchObject({ spentUsd: 0.001, reservedUsd: 0 });
  });

  it('goes through promises when a store is remote, with the same outcome', async () => {
    const clock = new ManualClock(1_000_000);
    const { open, budgets } = setup({
      counters: asyncCounters(new MemoryCounterStore({ clock })),
      ledger: asyncLedger(new MemoryBudgetLedger({ clock })),
    });
    const pending = open();
    expect(pending).toBeInstanceOf(Promise);
    const hold = (await pending) as TryHold;
    expect(isRefusal(hold)).toBe(false);
    const committed = hold.reservation.commitFast(0.001);
    expect(committed).toBeInstanceOf(Promise);
    await committed;
    expect(await budgets.status('u')).toMatchObject({ spentUsd: 0.001, reservedUsd: 0 });
  });

  for (const remote of [false, true]) {
    it(`a try the budget refuses holds nothing (${remote ? 'remote' : 'memory'} stores)`, async () => {
      const clock = new ManualClock(1_000_000);
      const counters = new MemoryCounterStore({ clock });
      const ledger = new MemoryBudgetLedger({ clock });
      // Worst case of one call: ~8 input + 100 output tokens at $1,000 per million ≈ $0.108.
      const { open, limiter, health } = setup({
        counters: remote ? asyncCounters(counters) : counters,
        ledger: remote ? asyncLedger(ledger) : ledger,
        limitUsd: 0.05,
      });
      const refusal = await open();
      expect(refusal).toMatchObject({ kind: 'over_budget' });
      // The user's one request per minute was given back, and so was the breaker permit.
      const again = await limiter.check({ user: 'u', model: 'm', estimatedTokens: 1 });
      expect(again.allowed).toBe(true);
      expect(health.acquire('m')).toBeDefined();
    });
  }

  it('a try the rate limit refuses gives its permit back and reserves nothing', async () => {
    const { open, budgets, health } = setup({});
    const first = open() as TryHold;
    first.permit.success(1_000_000);
    const refusal = open();
    expect(refusal).toMatchObject({ kind: 'rate_limited' });
    expect(await budgets.status('u')).toMatchObject({ reservedUsd: first.worstCaseUsd });
    expect(health.acquire('m')).toBeDefined();
  });
});
