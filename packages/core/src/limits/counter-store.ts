/** Outcome of one `consume`. */
export interface ConsumeResult {
  /** True when the whole amount fitted and was counted; nothing is counted otherwise. */
  readonly allowed: boolean;
  /** Units counted in the window after this call. */
  readonly count: number;
  /** Units still available in the window (0 when rejected or full). */
  readonly remaining: number;
  /** Epoch ms by which everything now counted has left the window. */
  readonly resetAt: number;
  /**
   * 0 when allowed; otherwise how long until the same call could succeed.
   * `Infinity` when it never can (the amount alone exceeds the limit).
   */
  readonly retryAfterMs: number;
}

export interface PeekResult {
  readonly count: number;
  readonly resetAt: number;
}

/**
 * Windowed counters shared by every instance of the gateway: in memory in
 * core, in Redis in `@orchestrator/redis`. Each call must be atomic on its
 * own (a Lua script in Redis); callers combine several with compensation.
 */
export interface CounterStore {
  /**
   * Counts `amount` against `key` when `count + amount <= limit` within the
   * trailing `windowMs`; otherwise counts nothing. `limit` may be `Infinity`
   * to record usage unconditionally (reconciling an under-estimate).
   */
  consume(key: string, amount: number, limit: number, windowMs: number): Promise<ConsumeResult>;
  /**
   * Gives back up to `amount` units. With `consumedAt` (the time of the
   * original `consume`) the units leave the slot they were counted in, so a
   * refund never shortens other usage's stay in the window; a slot that has
   * already left the window refunds nothing. Without it, the newest slots are
   * refunded first.
   */
  refund(key: string, amount: number, windowMs: number, consumedAt?: number): Promise<void>;
  /** The current count, without changing anything. */
  peek(key: string, windowMs: number): Promise<PeekResult>;
}

/**
 * A store that answers in-process, synchronously (`MemoryCounterStore`). The
 * rate limiter then runs a whole check without a promise or a timeout race (an
 * in-process map cannot stall). Each method must behave exactly as its async
 * twin.
 */
export interface SyncCounterStore extends CounterStore {
  consumeSync(key: string, amount: number, limit: number, windowMs: number): ConsumeResult;
  refundSync(key: string, amount: number, windowMs: number, consumedAt?: number): void;
}

/** True when `store` offers the synchronous methods of `SyncCounterStore`. */
export function isSyncCounterStore(store: CounterStore): store is SyncCounterStore {
  const s = store as Partial<SyncCounterStore>;
  return typeof s.consumeSync === 'function' && typeof s.refundSync === 'function';
}
