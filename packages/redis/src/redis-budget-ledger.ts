import { createHash, randomUUID } from 'node:crypto';
import {
  type BudgetLedger,
  type BudgetUsage,
  type Clock,
  type CommitResult,
  limitToMicros,
  microsToUsd,
  type ReserveResult,
  systemClock,
  usdToMicros,
} from '@orchestrator/core';
import type { Redis } from 'ioredis';
import { COMMIT, RECORD, RELEASE, RESERVE, USAGE } from './budget-scripts.js';
import { strings } from './redis-counter-store.js';
import type { RedisScript } from './redis-script.js';
import { withRedisTimeout } from './with-redis-timeout.js';

export interface RedisBudgetLedgerOptions {
  readonly client: Redis;
  /** Prefix of every ledger key. Default `orch:budget:`. */
  readonly keyPrefix?: string;
  /** Budget of each operation. Default 100 ms (core's BudgetManager default). */
  readonly timeoutMs?: number;
  /** How long an expired reservation is remembered for a late commit. Default 24 hours. */
  readonly retentionMs?: number;
  /**
   * Expiry of an account's spend record, refreshed on every write. Default:
   * none (kept, like core's MemoryBudgetLedger, as usage history). Set it to
   * a little more than the longest budget period to bound memory.
   */
  readonly accountTtlMs?: number;
  /** Time source for reservation expiry. Default the local clock (run NTP). */
  readonly clock?: Clock;
}

/**
 * `BudgetLedger` in Redis, so a budget holds across every gateway instance:
 * each call is one Lua script, atomic on the server, over integer
 * micro-dollars. Reservations expire after their TTL (a crashed instance
 * cannot hold budget forever) and are remembered for `retentionMs` so a late
 * commit is still charged. All keys of one (scope, period) share a hash tag,
 * and a reservation id carries that tag, so commit/release find the account
 * from the id alone.
 */
export class RedisBudgetLedger implements BudgetLedger {
  readonly keyPrefix: string;
  readonly #client: Redis;
  readonly #timeoutMs: number;
  readonly #retentionMs: number;
  readonly #accountTtl: string;
  readonly #clock: Clock;

  constructor(options: RedisBudgetLedgerOptions) {
    this.#client = options.client;
    this.keyPrefix = options.keyPrefix ?? 'orch:budget:';
    this.#timeoutMs = options.timeoutMs ?? 100;
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    const ttl = options.accountTtlMs;
    if (ttl !== undefined && !(ttl > 0 && Number.isFinite(ttl))) {
      throw new RangeError(`accountTtlMs must be a positive finite number, got ${String(ttl)}`);
    }
    this.#accountTtl = ttl === undefined ? '' : String(Math.ceil(ttl));
    this.#clock = options.clock ?? systemClock;
  }

  async reserve(
    scope: string,
    amountUsd: number,
    limitUsd: number,
    periodKey: string,
    ttlMs: number,
  ): Promise<ReserveResult> {
    const amount = nonNegativeMicros(amountUsd);
    const limit = limitToMicros(limitUsd);
    if (Number.isNaN(limit)) throw new RangeError('limitUsd must be a number');
    const tag = accountTag(scope, periodKey);
    const id = `${tag}.${randomUUID()}`;
    const reply = await this.#run('budget reserve', RESERVE, tag, [
      amount,
      limit === Number.POSITIVE_INFINITY ? '' : limit,
      Math.max(0, Number.isFinite(ttlMs) ? ttlMs : 0),
      id,
      scope,
      periodKey,
      this.#accountTtl,
    ]);
    const [ok, spentText, reservedText] = strings(reply, 3);
    const spent = Number(spentText);
    const reserved = Number(reservedText);
    return {
      ok: ok === '1',
      ...(ok === '1' ? { reservationId: id } : {}),
      spentUsd: microsToUsd(spent),
      reservedUsd: microsToUsd(reserved),
      remainingUsd: microsToUsd(Math.max(0, limit - spent - reserved)),
    };
  }

  async commit(reservationId: string, actualUsd: number): Promise<CommitResult> {
    const actual = nonNegativeMicros(actualUsd);
    const tag = tagOf(reservationId);
    if (tag === undefined) return { ok: false, spentUsd: 0 };
    const reply = await this.#run('budget commit', COMMIT, tag, [
      reservationId,
      actual,
      this.#accountTtl,
    ]);
    const [ok, spent] = strings(reply, 2);
    return { ok: ok === '1', spentUsd: microsToUsd(Number(spent)) };
  }

  async release(reservationId: string): Promise<boolean> {
    const tag = tagOf(reservationId);
    if (tag === undefined) return false;
    const reply = await this.#run('budget release', RELEASE, tag, [reservationId]);
    return Number(reply) === 1;
  }

  async record(scope: string, periodKey: string, amountUsd: number): Promise<BudgetUsage> {
    const amount = nonNegativeMicros(amountUsd);
    const reply = await this.#run('budget record', RECORD, accountTag(scope, periodKey), [
      amount,
      scope,
      periodKey,
      this.#accountTtl,
    ]);
    return usageOf(reply);
  }

  async usage(scope: string, periodKey: string): Promise<BudgetUsage> {
    return usageOf(await this.#run('budget usage', USAGE, accountTag(scope, periodKey), []));
  }

  #run(
    operation: string,
    script: RedisScript,
    tag: string,
    extra: readonly (string | number)[],
  ): Promise<unknown> {
    const base = `${this.keyPrefix}{${tag}}`;
    const keys = [base, `${base}:holds`, `${base}:amounts`];
    const args = [this.#clock.now(), this.#retentionMs, ...extra];
    return withRedisTimeout(script.run(this.#client, keys, args), this.#timeoutMs, operation);
  }
}

/**
 * A fixed-length digest of (scope, period): JSON keeps `a|b`+`c` apart from
 * `a`+`b|c`, and hashing keeps user-chosen text out of key syntax.
 */
function accountTag(scope: string, periodKey: string): string {
  return createHash('sha256')
    .update(JSON.stringify([scope, periodKey]))
    .digest('base64url')
    .slice(0, 22);
}

const RESERVATION_ID = /^([A-Za-z0-9_-]{22})\.[0-9a-f-]{36}$/;

function tagOf(reservationId: string): string | undefined {
  return typeof reservationId === 'string' ? RESERVATION_ID.exec(reservationId)?.[1] : undefined;
}

function usageOf(reply: unknown): BudgetUsage {
  const [spent, reserved] = strings(reply, 2);
  return { spentUsd: microsToUsd(Number(spent)), reservedUsd: microsToUsd(Number(reserved)) };
}

function nonNegativeMicros(usd: number): number {
  const micros = usdToMicros(usd);
  if (micros < 0) throw new RangeError(`amount must not be negative, got ${usd}`);
  return micros;
}
