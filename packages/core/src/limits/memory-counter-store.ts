import { type Clock, systemClock } from '../util/clock.js';
import type { ConsumeResult, PeekResult, SyncCounterStore } from './counter-store.js';

export interface MemoryCounterStoreOptions {
  readonly clock?: Clock;
  /**
   * Slots per window. More slots give finer timing (a unit is held at most
   * one slot longer than the window) at the cost of memory per key. Default 60.
   */
  readonly slotsPerWindow?: number;
}

interface Slot {
  /** Start of the slot, epoch ms, a multiple of the slot width. */
  readonly start: number;
  count: number;
}

interface Counter {
  readonly slotMs: number;
  readonly windowMs: number;
  /** Oldest first. */
  readonly slots: Slot[];
}

/** Counters examined for expiry per operation; keeps memory bounded without a timer. */
const SWEEP_PER_OP = 2;

/**
 * Sliding window made of slots. Usage is counted in the slot of the moment
 * it happened; a slot counts until its END is a whole window old. That makes
 * the counter conservative: every unit stays counted for at least `windowMs`,
 * so no trailing window of any alignment ever holds more than `limit` — which
 * a fixed window (2× bursts at the boundary) and the weighted-previous-window
 * approximation (up to ~2× under adversarial timing) cannot promise. The
 * price is that a unit may be held up to one slot (window/60 by default)
 * longer than strictly needed, and memory of at most slotsPerWindow + 1 slots
 * per live key. Keys whose slots have all expired are dropped, both when next
 * touched and by an incremental sweep that visits a couple of keys per call.
 */
export class MemoryCounterStore implements SyncCounterStore {
  readonly #clock: Clock;
  readonly #slotsPerWindow: number;
  readonly #counters = new Map<string, Counter>();
  #sweep: Iterator<[string, Counter]> | undefined;

  constructor(options: MemoryCounterStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#slotsPerWindow = options.slotsPerWindow ?? 60;
    if (!Number.isInteger(this.#slotsPerWindow) || this.#slotsPerWindow < 1) {
      throw new RangeError('slotsPerWindow must be a positive integer');
    }
  }

  /** Keys currently held (for tests and diagnostics). */
  get keyCount(): number {
    return this.#counters.size;
  }

  async consume(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
  ): Promise<ConsumeResult> {
    return this.consumeSync(key, amount, limit, windowMs);
  }

  async refund(key: string, amount: number, windowMs: number, consumedAt?: number): Promise<void> {
    this.refundSync(key, amount, windowMs, consumedAt);
  }

  consumeSync(key: string, amount: number, limit: number, windowMs: number): ConsumeResult {
    checkAmount(amount);
    const now = this.#clock.now();
    this.#sweepSome(now);
    const counter = this.#counter(key, windowMs, now);
    const count = total(counter);
    if (count + amount <= limit) {
      if (amount > 0) addToSlot(counter, now, amount);
      const after = count + amount;
      this.#dropIfEmpty(key, counter);
      return {
        allowed: true,
        count: after,
        remaining: Math.max(0, limit - after),
        resetAt: resetAt(counter, now),
        retryAfterMs: 0,
      };
    }
    this.#dropIfEmpty(key, counter);
    return {
      allowed: false,
      count,
      remaining: Math.max(0, limit - count),
      resetAt: resetAt(counter, now),
      retryAfterMs: retryAfter(counter, count, amount, limit, now),
    };
  }

  refundSync(key: string, amount: number, windowMs: number, consumedAt?: number): void {
    checkAmount(amount);
    const now = this.#clock.now();
    const counter = this.#counters.get(storageKey(key, windowMs));
    if (counter === undefined) return;
    prune(counter, now);
    let left = amount;
    if (consumedAt !== undefined) {
      const start = slotStart(consumedAt, counter.slotMs);
      const slot = counter.slots.find((s) => s.start === start);
      if (slot) slot.count -= Math.min(slot.count, left);
    } else {
      for (let i = counter.slots.length - 1; i >= 0 && left > 0; i--) {
        const slot = counter.slots[i]!;
        const taken = Math.min(slot.count, left);
        slot.count -= taken;
        left -= taken;
      }
    }
    const kept = counter.slots.filter((s) => s.count > 0);
    counter.slots.splice(0, counter.slots.length, ...kept);
    this.#dropIfEmpty(key, counter);
  }

  async peek(key: string, windowMs: number): Promise<PeekResult> {
    const now = this.#clock.now();
    const counter = this.#counters.get(storageKey(key, windowMs));
    if (counter === undefined) return { count: 0, resetAt: now };
    prune(counter, now);
    return { count: total(counter), resetAt: resetAt(counter, now) };
  }

  #counter(key: string, windowMs: number, now: number): Counter {
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw new RangeError(`windowMs must be a positive finite number, got ${String(windowMs)}`);
    }
    const id = storageKey(key, windowMs);
    let counter = this.#counters.get(id);
    if (counter === undefined) {
      counter = {
        windowMs,
        slotMs: Math.max(1, Math.ceil(windowMs / this.#slotsPerWindow)),
        slots: [],
      };
      this.#counters.set(id, counter);
    } else {
      prune(counter, now);
    }
    return counter;
  }

  #dropIfEmpty(key: string, counter: Counter): void {
    if (counter.slots.length === 0) this.#counters.delete(storageKey(key, counter.windowMs));
  }

  #sweepSome(now: number): void {
    for (let i = 0; i < SWEEP_PER_OP; i++) {
      this.#sweep ??= this.#counters.entries();
      const next = this.#sweep.next();
      if (next.done) {
        this.#sweep = undefined;
        return;
      }
      const [id, counter] = next.value;
      prune(counter, now);
      // Deleting the entry being visited is safe for a live Map iterator.
      if (counter.slots.length === 0) this.#counters.delete(id);
    }
  }
}

function storageKey(key: string, windowMs: number): string {
  return `${windowMs}|${key}`;
}

function checkAmount(amount: number): void {
  if (!(amount >= 0) || !Number.isFinite(amount)) {
    throw new RangeError(`amount must be a non-negative finite number, got ${String(amount)}`);
  }
}

function slotStart(time: number, slotMs: number): number {
  return Math.floor(time / slotMs) * slotMs;
}

/** A slot counts while its end is less than a window old. */
function prune(counter: Counter, now: number): void {
  let expired = 0;
  while (
    expired < counter.slots.length &&
    counter.slots[expired]!.start + counter.slotMs + counter.windowMs <= now
  ) {
    expired++;
  }
  if (expired > 0) counter.slots.splice(0, expired);
}

function total(counter: Counter): number {
  let sum = 0;
  for (const slot of counter.slots) sum += slot.count;
  return sum;
}

function addToSlot(counter: Counter, now: number, amount: number): void {
  const start = slotStart(now, counter.slotMs);
  const last = counter.slots.at(-1);
  // A clock that stepped back lands in the newest slot, which keeps the order and errs long.
  if (last !== undefined && last.start >= start) last.count += amount;
  else counter.slots.push({ start, count: amount });
}

function resetAt(counter: Counter, now: number): number {
  const last = counter.slots.at(-1);
  return last === undefined ? now : last.start + counter.slotMs + counter.windowMs;
}

/** Time until enough old slots have left for `amount` to fit. */
function retryAfter(
  counter: Counter,
  count: number,
  amount: number,
  limit: number,
  now: number,
): number {
  if (amount > limit) return Number.POSITIVE_INFINITY;
  let left = count;
  for (const slot of counter.slots) {
    left -= slot.count;
    if (left + amount <= limit)
      return Math.max(1, slot.start + counter.slotMs + counter.windowMs - now);
  }
  return counter.windowMs;
}
