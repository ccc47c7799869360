/** Outcome of `reserve`. All amounts in USD, exact to the micro-dollar. */
export interface ReserveResult {
  /** True when the amount fitted: `spent + reserved + amount <= limit`. */
  readonly ok: boolean;
  /** Present when `ok`; pass it to `commit` or `release`. */
  readonly reservationId?: string;
  /** Spent in this scope and period (after this call). */
  readonly spentUsd: number;
  /** Held by live reservations (this one included when `ok`). */
  readonly reservedUsd: number;
  /** `limit - spent - reserved`, never below zero. */
  readonly remainingUsd: number;
}

export interface CommitResult {
  /** False when the reservation is unknown (never made, already settled, or forgotten). */
  readonly ok: boolean;
  readonly spentUsd: number;
}

export interface BudgetUsage {
  readonly spentUsd: number;
  readonly reservedUsd: number;
}

/**
 * Spend per scope (a user, a key, a team) and period, shared by every
 * gateway instance: in memory in core, in Redis in `@orchestrator/redis`.
 * Each call is atomic. Implementations keep money as integer micro-dollars
 * (see `usdToMicros`) and round amounts up, so sums never drift and never
 * under-charge.
 */
export interface BudgetLedger {
  /**
   * Holds `amountUsd` when `spent + reserved + amountUsd <= limitUsd` for
   * `(scope, periodKey)`. A reservation neither committed nor released
   * within `ttlMs` stops counting, so a crashed caller cannot hold budget
   * forever.
   */
  reserve(
    scope: string,
    amountUsd: number,
    limitUsd: number,
    periodKey: string,
    ttlMs: number,
  ): Promise<ReserveResult>;
  /**
   * Turns a reservation into spend of `actualUsd` (which may exceed the
   * amount held: the provider already billed it). Also works on a
   * reservation that expired but is still remembered.
   */
  commit(reservationId: string, actualUsd: number): Promise<CommitResult>;
  /** Drops a reservation without spending; false when it was unknown. */
  release(reservationId: string): Promise<boolean>;
  /** Adds spend without a reservation (a cost that was never reserved, or whose reservation was forgotten). */
  record(scope: string, periodKey: string, amountUsd: number): Promise<BudgetUsage>;
  usage(scope: string, periodKey: string): Promise<BudgetUsage>;
}

/**
 * A ledger that answers in-process, synchronously (`MemoryBudgetLedger`).
 * `BudgetManager` then reserves and settles without a promise or a timeout
 * race (an in-process map cannot stall). Each method must behave exactly as
 * its async twin.
 */
export interface SyncBudgetLedger extends BudgetLedger {
  reserveSync(
    scope: string,
    amountUsd: number,
    limitUsd: number,
    periodKey: string,
    ttlMs: number,
  ): ReserveResult;
  commitSync(reservationId: string, actualUsd: number): CommitResult;
  releaseSync(reservationId: string): boolean;
  recordSync(scope: string, periodKey: string, amountUsd: number): BudgetUsage;
}

/** True when `ledger` offers the synchronous methods of `SyncBudgetLedger`. */
export function isSyncBudgetLedger(ledger: BudgetLedger): ledger is SyncBudgetLedger {
  const l = ledger as Partial<SyncBudgetLedger>;
  return (
    typeof l.reserveSync === 'function' &&
    typeof l.commitSync === 'function' &&
    typeof l.releaseSync === 'function' &&
    typeof l.recordSync === 'function'
  );
}
