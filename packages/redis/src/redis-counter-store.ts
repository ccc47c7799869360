import {
  type Clock,
  type ConsumeResult,
  type CounterStore,
  type PeekResult,
  systemClock,
} from '@orchestrator/core';
import type { Redis } from 'ioredis';
import { CONSUME, PEEK, REFUND } from './counter-scripts.js';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './create-redis-client.js';
import { RedisUnavailableError } from './redis-errors.js';
import { withRedisTimeout } from './with-redis-timeout.js';

export interface RedisCounterStoreOptions {
  readonly client: Redis;
  /** Prefix of every counter key. Default `orch:ctr:`. */
  readonly keyPrefix?: string;
  /** Budget of each operation. Default 50 ms. */
  readonly timeoutMs?: number;
  /** Slots per window, as in core's MemoryCounterStore. Default 60. */
  readonly slotsPerWindow?: number;
  /**
   * Time source. Default the local clock, the same one core's RateLimiter
   * stamps `consumedAt` with, so refunds find their slot. Instances should
   * run NTP: a clock that runs ahead lets units leave the window early by
   * the skew; one that runs behind only errs long.
   */
  readonly clock?: Clock;
}

/**
 * `CounterStore` in Redis: the same sliding window of slots as core's
 * MemoryCounterStore (a unit counts until its slot's END is a window old, so
 * no trailing window ever holds more than the limit), kept in one hash per
 * key and window and changed only by Lua scripts, so every call is atomic
 * across all instances. Keys expire by themselves once their last slot has
 * left the window.
 */
export class RedisCounterStore implements CounterStore {
  readonly keyPrefix: string;
  readonly #client: Redis;
  readonly #timeoutMs: number;
  readonly #slotsPerWindow: number;
  readonly #clock: Clock;

  constructor(options: RedisCounterStoreOptions) {
    this.#client = options.client;
    this.keyPrefix = options.keyPrefix ?? 'orch:ctr:';
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#slotsPerWindow = options.slotsPerWindow ?? 60;
    if (!Number.isInteger(this.#slotsPerWindow) || this.#slotsPerWindow < 1) {
      throw new RangeError('slotsPerWindow must be a positive integer');
    }
    this.#clock = options.clock ?? systemClock;
  }

  async consume(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
  ): Promise<ConsumeResult> {
    checkAmount(amount);
    const slotMs = this.#slotMs(windowMs);
    if (Number.isNaN(limit)) throw new RangeError('limit must be a number');
    const unlimited = limit === Number.POSITIVE_INFINITY;
    const reply = await this.#run('counter consume', key, windowMs, [
      slotMs,
      amount,
      unlimited ? '' : limit,
    ]);
    const [allowed, countText, resetText, retryText] = strings(reply, 4);
    const count = Number(countText);
    return {
      allowed: allowed === '1',
      count,
      remaining: Math.max(0, limit - count),
      resetAt: Number(resetText),
      retryAfterMs: retryText === 'inf' ? Number.POSITIVE_INFINITY : Number(retryText),
    };
  }

  async refund(key: string, amount: number, windowMs: number, consumedAt?: number): Promise<void> {
    checkAmount(amount);
    const slotMs = this.#slotMs(windowMs);
    if (consumedAt !== undefined && !Number.isFinite(consumedAt)) {
      throw new RangeError(`consumedAt must be a finite time, got ${String(consumedAt)}`);
    }
    await this.#run('counter refund', key, windowMs, [
      slotMs,
      amount,
      consumedAt === undefined ? '' : consumedAt,
    ]);
  }

  async peek(key: string, windowMs: number): Promise<PeekResult> {
    const slotMs = this.#slotMs(windowMs);
    const reply = await this.#run('counter peek', key, windowMs, [slotMs]);
    const [count, resetAt] = strings(reply, 2);
    return { count: Number(count), resetAt: Number(resetAt) };
  }

  #slotMs(windowMs: number): number {
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw new RangeError(`windowMs must be a positive finite number, got ${String(windowMs)}`);
    }
    return Math.max(1, Math.ceil(windowMs / this.#slotsPerWindow));
  }

  #run(
    operation: 'counter consume' | 'counter refund' | 'counter peek',
    key: string,
    windowMs: number,
    extra: readonly (string | number)[],
  ): Promise<unknown> {
    const script =
      operation === 'counter consume' ? CONSUME : operation === 'counter refund' ? REFUND : PEEK;
    // The window is part of the key: one key measured over two windows is two counters.
    const redisKey = `${this.keyPrefix}${windowMs}|${key}`;
    const args = [this.#clock.now(), windowMs, ...extra];
    return withRedisTimeout(script.run(this.#client, [redisKey], args), this.#timeoutMs, operation);
  }
}

function checkAmount(amount: number): void {
  if (!(amount >= 0) || !Number.isFinite(amount)) {
    throw new RangeError(`amount must be a non-negative finite number, got ${String(amount)}`);
  }
}

/** A script reply as `n` strings, or a typed error when it has another shape. */
export function strings(reply: unknown, n: number): string[] {
  if (!Array.isArray(reply) || reply.length < n) {
    throw new RedisUnavailableError('script', new Error('unexpected reply shape'));
  }
  return reply.slice(0, n).map((v) => String(v));
}
