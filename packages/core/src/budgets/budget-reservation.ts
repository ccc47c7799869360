import type { BudgetLedger, SyncBudgetLedger } from './budget-ledger.js';

export interface BudgetReservationInit {
  readonly ledger: BudgetLedger;
  /** The same ledger when it answers synchronously: settling then needs no promise. */
  readonly sync?: SyncBudgetLedger;
  readonly reservationId: string;
  readonly scope: string;
  readonly periodKey: string;
  readonly worstCaseUsd: number;
  readonly call: <T>(work: Promise<T>) => Promise<T>;
  readonly onError?: (error: unknown) => void;
}

export type ReservationState = 'held' | 'committed' | 'released';

/**
 * A held budget for one request. Settle it exactly once: `commit` with the
 * actual cost after the call (also after a failed call that was billed), or
 * `release` when nothing was spent. Further calls do nothing. Settling never
 * throws: the answer has already been produced, and a ledger hiccup must not
 * turn it into an error (it is reported through `onError`).
 */
export class BudgetReservation {
  readonly worstCaseUsd: number;
  /** Undefined when no period budget applied (only the per-request cap was checked). */
  readonly reservationId: string | undefined;
  #state: ReservationState = 'held';
  readonly #init: BudgetReservationInit | undefined;

  constructor(init: BudgetReservationInit | undefined, worstCaseUsd?: number) {
    this.#init = init;
    this.reservationId = init?.reservationId;
    this.worstCaseUsd = init?.worstCaseUsd ?? worstCaseUsd ?? 0;
  }

  /** A handle with nothing behind it, for requests no period budget covers. */
  static unbudgeted(worstCaseUsd: number): BudgetReservation {
    return new BudgetReservation(undefined, worstCaseUsd);
  }

  get state(): ReservationState {
    return this.#state;
  }

  async commit(actualUsd: number): Promise<void> {
    return this.commitFast(actualUsd);
  }

  /** `commit`, synchronously when nothing needs a promise (no ledger, or a synchronous one). */
  commitFast(actualUsd: number): void | Promise<void> {
    if (this.#state !== 'held') return;
    this.#state = 'committed';
    const init = this.#init;
    if (init === undefined) return;
    const actual = Number.isFinite(actualUsd) && actualUsd > 0 ? actualUsd : 0;
    const sync = init.sync;
    if (sync === undefined) return commitAsync(init, actual);
    try {
      // The reservation was forgotten (long past its TTL): the money was still spent.
      if (!sync.commitSync(init.reservationId, actual).ok) {
        sync.recordSync(init.scope, init.periodKey, actual);
      }
    } catch (error) {
      init.onError?.(error);
    }
  }

  async release(): Promise<void> {
    return this.releaseFast();
  }

  /** `release`, synchronously when nothing needs a promise (as `commitFast`). */
  releaseFast(): void | Promise<void> {
    if (this.#state !== 'held') return;
    this.#state = 'released';
    const init = this.#init;
    if (init === undefined) return;
    const sync = init.sync;
    if (sync === undefined) return releaseAsync(init);
    try {
      sync.releaseSync(init.reservationId);
    } catch (error) {
      init.onError?.(error);
    }
  }
}

async function commitAsync(init: BudgetReservationInit, actual: number): Promise<void> {
  try {
    const result = await init.call(init.ledger.commit(init.reservationId, actual));
    // The reservation was forgotten (long past its TTL): the money was still spent.
    if (!result.ok) await init.call(init.ledger.record(init.scope, init.periodKey, actual));
  } catch (error) {
    init.onError?.(error);
  }
}

async function releaseAsync(init: BudgetReservationInit): Promise<void> {
  try {
    await init.call(init.ledger.release(init.reservationId));
  } catch (error) {
    init.onError?.(error);
  }
}
