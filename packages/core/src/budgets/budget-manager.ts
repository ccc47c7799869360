import { withTimeout } from '../cache/with-timeout.js';
import { type Clock, systemClock } from '../util/clock.js';
import { BudgetExceededError, BudgetUnavailableError } from './budget-exceeded-error.js';
import {
  type BudgetLedger,
  isSyncBudgetLedger,
  type ReserveResult,
  type SyncBudgetLedger,
} from './budget-ledger.js';
import { type BudgetPeriod, budgetPeriodEnd, budgetPeriodKey } from './budget-period.js';
import { BudgetReservation } from './budget-reservation.js';
import { MemoryBudgetLedger } from './memory-budget-ledger.js';
import { limitToMicros, microsToUsd, usdToMicros } from './money.js';

export interface UserBudget {
  /** Most a user may spend in a period, USD. `Infinity` means unlimited. */
  readonly limitUsd: number;
  /** Default `monthly`. */
  readonly period?: BudgetPeriod;
}

export interface BudgetManagerConfig {
  /** Default an in-memory ledger; `RedisBudgetLedger` makes budgets hold across instances. */
  readonly ledger?: BudgetLedger;
  readonly clock?: Clock;
  /** Cap on the worst-case cost of any single request, USD. */
  readonly maxCostPerRequestUsd?: number;
  /** Budget of every identified user without an override. */
  readonly perUser?: UserBudget;
  /** Budgets of named users (own keys only; a user called `constructor` gets the default). */
  readonly users?: Readonly<Record<string, UserBudget>>;
  /** How long a reservation holds budget if neither committed nor released. Default 10 minutes. */
  readonly reservationTtlMs?: number;
  /** Budget of one ledger call. Default 100 ms. */
  readonly timeoutMs?: number;
  /**
   * What a ledger failure means. `closed` (default) refuses with
   * `BudgetUnavailableError`: a budget that can be bypassed by an outage is
   * no budget. `open` admits the request unbudgeted.
   */
  readonly failMode?: 'open' | 'closed';
  readonly onError?: (error: unknown) => void;
}

export interface BudgetReserveInput {
  /** The authenticated identity; without one only the per-request cap applies. */
  readonly user?: string | undefined;
  /** Worst-case cost of the call: input tokens plus max output tokens at the model's price. */
  readonly worstCaseUsd: number;
  /** The request's own cap, combined with the configured one (the lower wins). */
  readonly maxCostUsd?: number | undefined;
}

export interface UserBudgetStatus {
  readonly user: string;
  readonly period: BudgetPeriod;
  readonly periodKey: string;
  readonly limitUsd: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly remainingUsd: number;
  /** Epoch ms at which the period renews (Infinity for `total`). */
  readonly resetsAt: number;
}

/**
 * Per-request cost caps and per-user period budgets. A request reserves its
 * worst-case cost before the call and commits the actual cost after it (or
 * releases the reservation when it failed), so under any concurrency spend
 * never passes a budget as long as actual costs stay within the worst case.
 */
export class BudgetManager {
  readonly #config: BudgetManagerConfig;
  readonly #ledger: BudgetLedger;
  /** The ledger again when it answers synchronously (see `SyncBudgetLedger`). */
  readonly #sync: SyncBudgetLedger | undefined;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;

  constructor(config: BudgetManagerConfig = {}) {
    this.#config = config;
    this.#clock = config.clock ?? systemClock;
    this.#ledger = config.ledger ?? new MemoryBudgetLedger({ clock: this.#clock });
    this.#sync = isSyncBudgetLedger(this.#ledger) ? this.#ledger : undefined;
    this.#ttlMs = config.reservationTtlMs ?? 10 * 60 * 1000;
    this.#timeoutMs = config.timeoutMs ?? 100;
  }

  /** The period budget of a user, or undefined when none applies. */
  budgetFor(user: string): UserBudget | undefined {
    const users = this.#config.users;
    if (users !== undefined && Object.hasOwn(users, user)) return users[user];
    return this.#config.perUser;
  }

  /** The per-request cap in force: the lower of the configured one and the request's. */
  requestCapUsd(maxCostUsd?: number): number | undefined {
    const configured = this.#config.maxCostPerRequestUsd;
    if (configured === undefined) return maxCostUsd;
    return maxCostUsd === undefined ? configured : Math.min(configured, maxCostUsd);
  }

  /** Throws `BudgetExceededError` when the worst case exceeds the per-request cap. */
  checkRequestCost(worstCaseUsd: number, maxCostUsd?: number): void {
    const cap = this.requestCapUsd(maxCostUsd);
    if (cap !== undefined && usdToMicros(worstCaseUsd) > limitToMicros(cap)) {
      throw new BudgetExceededError({
        budget: 'request',
        limitUsd: cap,
        spentUsd: 0,
        requestedUsd: worstCaseUsd,
      });
    }
  }

  /**
   * Checks the per-request cap, then holds the worst case against the
   * user's period budget. Throws `BudgetExceededError` (or
   * `BudgetUnavailableError` when the ledger fails closed). The handle must
   * be committed with the actual cost or released.
   */
  async reserve(input: BudgetReserveInput): Promise<BudgetReservation> {
    return this.reserveFast(input);
  }

  /**
   * `reserve`, answered synchronously when nothing needs a promise: no period
   * budget applies, or the ledger is synchronous (the memory ledger, which
   * cannot stall, so it needs no timeout race either). Unlike `reserve` it
   * throws its errors directly when it answers synchronously. The engine
   * awaits only a real promise.
   */
  reserveFast(input: BudgetReserveInput): BudgetReservation | Promise<BudgetReservation> {
    if (!(input.worstCaseUsd >= 0) || !Number.isFinite(input.worstCaseUsd)) {
      throw new RangeError(
        `worstCaseUsd must be a non-negative finite number, got ${input.worstCaseUsd}`,
      );
    }
    this.checkRequestCost(input.worstCaseUsd, input.maxCostUsd);
    const user = input.user;
    const budget = user === undefined ? undefined : this.budgetFor(user);
    if (
      user === undefined ||
      budget === undefined ||
      budget.limitUsd === Number.POSITIVE_INFINITY
    ) {
      return BudgetReservation.unbudgeted(input.worstCaseUsd);
    }
    const period = budget.period ?? 'monthly';
    const now = this.#clock.now();
    const hold: Hold = {
      input,
      budget,
      period,
      now,
      periodKey: budgetPeriodKey(period, now),
      scope: userScope(user),
    };
    const sync = this.#sync;
    if (sync === undefined) return this.#reserveAsync(hold);
    let result: ReserveResult;
    try {
      result = sync.reserveSync(
        hold.scope,
        input.worstCaseUsd,
        budget.limitUsd,
        hold.periodKey,
        this.#ttlMs,
      );
    } catch (error) {
      return this.#unavailable(error, input.worstCaseUsd);
    }
    return this.#reservation(hold, result);
  }

  async #reserveAsync(hold: Hold): Promise<BudgetReservation> {
    let result: ReserveResult;
    try {
      result = await this.#call(
        this.#ledger.reserve(
          hold.scope,
          hold.input.worstCaseUsd,
          hold.budget.limitUsd,
          hold.periodKey,
          this.#ttlMs,
        ),
      );
    } catch (error) {
      return this.#unavailable(error, hold.input.worstCaseUsd);
    }
    return this.#reservation(hold, result);
  }

  /** A failed ledger call: unbudgeted when failing open, else `BudgetUnavailableError`. */
  #unavailable(error: unknown, worstCaseUsd: number): BudgetReservation {
    this.#config.onError?.(error);
    if (this.#config.failMode === 'open') return BudgetReservation.unbudgeted(worstCaseUsd);
    throw new BudgetUnavailableError(error);
  }

  #reservation(hold: Hold, result: ReserveResult): BudgetReservation {
    if (!result.ok || result.reservationId === undefined) {
      throw new BudgetExceededError({
        budget: 'user',
        limitUsd: hold.budget.limitUsd,
        spentUsd: result.spentUsd,
        reservedUsd: result.reservedUsd,
        requestedUsd: hold.input.worstCaseUsd,
        period: hold.period,
        resetsAt: budgetPeriodEnd(hold.period, hold.now),
      });
    }
    return new BudgetReservation({
      ledger: this.#ledger,
      ...(this.#sync === undefined ? {} : { sync: this.#sync }),
      reservationId: result.reservationId,
      scope: hold.scope,
      periodKey: hold.periodKey,
      worstCaseUsd: hold.input.worstCaseUsd,
      call: (work) => this.#call(work),
      ...(this.#config.onError === undefined ? {} : { onError: this.#config.onError }),
    });
  }

  /** Spend against budget for a user in the current period (for analytics and headers). */
  async status(user: string): Promise<UserBudgetStatus | undefined> {
    const budget = this.budgetFor(user);
    if (budget === undefined) return undefined;
    const period = budget.period ?? 'monthly';
    const now = this.#clock.now();
    const periodKey = budgetPeriodKey(period, now);
    const usage = await this.#call(this.#ledger.usage(userScope(user), periodKey));
    const limit = limitToMicros(budget.limitUsd);
    const used = usdToMicros(usage.spentUsd) + usdToMicros(usage.reservedUsd);
    return {
      user,
      period,
      periodKey,
      limitUsd: budget.limitUsd,
      spentUsd: usage.spentUsd,
      reservedUsd: usage.reservedUsd,
      remainingUsd:
        limit === Number.POSITIVE_INFINITY ? limit : microsToUsd(Math.max(0, limit - used)),
      resetsAt: budgetPeriodEnd(period, now),
    };
  }

  #call<T>(work: Promise<T>): Promise<T> {
    return withTimeout(work, this.#timeoutMs, 'budget ledger');
  }
}

/** A reservation being made: what `reserve` worked out before asking the ledger. */
interface Hold {
  readonly input: BudgetReserveInput;
  readonly budget: UserBudget;
  readonly period: BudgetPeriod;
  readonly now: number;
  readonly periodKey: string;
  readonly scope: string;
}

function userScope(user: string): string {
  return `user:${user}`;
}
