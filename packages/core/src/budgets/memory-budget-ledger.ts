import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../util/clock.js';
import type {
  BudgetUsage,
  CommitResult,
  ReserveResult,
  SyncBudgetLedger,
} from './budget-ledger.js';
import { limitToMicros, microsToUsd, usdToMicros } from './money.js';

export interface MemoryBudgetLedgerOptions {
  readonly clock?: Clock;
  /**
   * How long an expired reservation is still remembered, so a late commit
   * (a call that outlived its TTL) is still charged to the right scope.
   * Default 24 hours.
   */
  readonly retentionMs?: number;
}

interface Account {
  spent: number;
  /** Live (unexpired, unsettled) reservations of this account. */
  readonly holds: Set<Reservation>;
}

interface Reservation {
  readonly id: string;
  readonly account: Account;
  readonly micros: number;
  readonly expiresAt: number;
}

const SWEEP_PER_OP = 2;

/**
 * The in-process ledger. Every method runs to completion without awaiting,
 * so each is atomic with respect to concurrent callers in this process.
 * Accounts of past periods are kept (usage history); settled reservations are
 * forgotten at once and expired ones after `retentionMs`.
 */
export class MemoryBudgetLedger implements SyncBudgetLedger {
  readonly #clock: Clock;
  readonly #retentionMs: number;
  readonly #accounts = new Map<string, Account>();
  readonly #reservations = new Map<string, Reservation>();
  #sweep: Iterator<Reservation> | undefined;

  constructor(options: MemoryBudgetLedgerOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
  }

  async reserve(
    scope: string,
    amountUsd: number,
    limitUsd: number,
    periodKey: string,
    ttlMs: number,
  ): Promise<ReserveResult> {
    return this.reserveSync(scope, amountUsd, limitUsd, periodKey, ttlMs);
  }

  async commit(reservationId: string, actualUsd: number): Promise<CommitResult> {
    return this.commitSync(reservationId, actualUsd);
  }

  async release(reservationId: string): Promise<boolean> {
    return this.releaseSync(reservationId);
  }

  async record(scope: string, periodKey: string, amountUsd: number): Promise<BudgetUsage> {
    return this.recordSync(scope, periodKey, amountUsd);
  }

  reserveSync(
    scope: string,
    amountUsd: number,
    limitUsd: number,
    periodKey: string,
    ttlMs: number,
  ): ReserveResult {
    const amount = nonNegativeMicros(amountUsd);
    const limit = limitToMicros(limitUsd);
    const now = this.#clock.now();
    this.#sweepSome(now);
    const account = this.#account(scope, periodKey);
    let reserved = held(account, now);
    const ok = account.spent + reserved + amount <= limit;
    let reservationId: string | undefined;
    if (ok) {
      reservationId = randomUUID();
      const reservation: Reservation = {
        id: reservationId,
        account,
        micros: amount,
        expiresAt: now + Math.max(0, ttlMs),
      };
      account.holds.add(reservation);
      this.#reservations.set(reservationId, reservation);
      reserved += amount;
    }
    return {
      ok,
      ...(reservationId === undefined ? {} : { reservationId }),
      spentUsd: microsToUsd(account.spent),
      reservedUsd: microsToUsd(reserved),
      remainingUsd: microsToUsd(Math.max(0, limit - account.spent - reserved)),
    };
  }

  commitSync(reservationId: string, actualUsd: number): CommitResult {
    const actual = nonNegativeMicros(actualUsd);
    const reservation = this.#reservations.get(reservationId);
    if (reservation === undefined) return { ok: false, spentUsd: 0 };
    this.#reservations.delete(reservationId);
    reservation.account.holds.delete(reservation);
    reservation.account.spent += actual;
    return { ok: true, spentUsd: microsToUsd(reservation.account.spent) };
  }

  releaseSync(reservationId: string): boolean {
    const reservation = this.#reservations.get(reservationId);
    if (reservation === undefined) return false;
    this.#reservations.delete(reservationId);
    reservation.account.holds.delete(reservation);
    return true;
  }

  recordSync(scope: string, periodKey: string, amountUsd: number): BudgetUsage {
    const account = this.#account(scope, periodKey);
    account.spent += nonNegativeMicros(amountUsd);
    return this.#usage(account);
  }

  async usage(scope: string, periodKey: string): Promise<BudgetUsage> {
    const account = this.#accounts.get(accountKey(scope, periodKey));
    return account === undefined ? { spentUsd: 0, reservedUsd: 0 } : this.#usage(account);
  }

  #usage(account: Account): BudgetUsage {
    return {
      spentUsd: microsToUsd(account.spent),
      reservedUsd: microsToUsd(held(account, this.#clock.now())),
    };
  }

  #account(scope: string, periodKey: string): Account {
    const key = accountKey(scope, periodKey);
    let account = this.#accounts.get(key);
    if (account === undefined) {
      account = { spent: 0, holds: new Set() };
      this.#accounts.set(key, account);
    }
    return account;
  }

  /** Forgets reservations expired for longer than the retention, a few per call. */
  #sweepSome(now: number): void {
    for (let i = 0; i < SWEEP_PER_OP; i++) {
      this.#sweep ??= this.#reservations.values();
      const next = this.#sweep.next();
      if (next.done) {
        this.#sweep = undefined;
        return;
      }
      const reservation = next.value;
      if (reservation.expiresAt + this.#retentionMs <= now) {
        this.#reservations.delete(reservation.id);
        reservation.account.holds.delete(reservation);
      }
    }
  }
}

/** JSON, not concatenation: no scope/period pair can collide with another. */
function accountKey(scope: string, periodKey: string): string {
  return JSON.stringify([scope, periodKey]);
}

/** Micro-dollars held by the account's unexpired reservations; expired ones stop counting. */
function held(account: Account, now: number): number {
  let sum = 0;
  for (const reservation of account.holds) {
    if (reservation.expiresAt > now) sum += reservation.micros;
    else account.holds.delete(reservation);
  }
  return sum;
}

function nonNegativeMicros(usd: number): number {
  const micros = usdToMicros(usd);
  if (micros < 0) throw new RangeError(`amount must not be negative, got ${usd}`);
  return micros;
}
