import { withTimeout } from '../cache/with-timeout.js';
import type { ModelConstraints } from '../types/capabilities.js';
import { type Clock, systemClock } from '../util/clock.js';
import {
  type ConsumeResult,
  type CounterStore,
  isSyncCounterStore,
  type SyncCounterStore,
} from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import {
  RateLimitExceededError,
  type RateLimitKind,
  type RateLimitScope,
} from './rate-limit-exceeded-error.js';

/** Requests and tokens per minute; an absent or infinite field is "no limit". */
export interface RateLimits {
  readonly rpm?: number;
  readonly tpm?: number;
}

export interface RateLimiterConfig {
  /** Default limits of every model (a model's own `constraints` and overrides take precedence). */
  readonly perModel?: RateLimits;
  /** Default limits of every user. */
  readonly perUser?: RateLimits;
  /** Field-by-field overrides for named models and users. */
  readonly overrides?: {
    readonly models?: Readonly<Record<string, RateLimits>>;
    readonly users?: Readonly<Record<string, RateLimits>>;
  };
  /** Default an in-memory store; a `RedisCounterStore` makes limits hold across instances. */
  readonly store?: CounterStore;
  /** Budget of one store call. Default 50 ms. */
  readonly timeoutMs?: number;
  /**
   * What a store failure means. `open` (default) admits the request: limits
   * protect capacity, and an unreachable Redis should not turn into a full
   * outage. `closed` rejects with scope `store`.
   */
  readonly failMode?: 'open' | 'closed';
  readonly clock?: Clock;
  /** Prefix of every counter key, to share a store between deployments. Default `rl:`. */
  readonly keyPrefix?: string;
  readonly onError?: (error: unknown) => void;
}

export interface RateLimitCheck {
  /** The authenticated identity. Without one, per-user limits do not apply. */
  readonly user?: string | undefined;
  readonly model: string;
  /** Estimated tokens of the whole call (input plus expected output). */
  readonly estimatedTokens: number;
  /** The model's own limits (`model.constraints`), between overrides and `perModel`. */
  readonly modelLimits?: Pick<ModelConstraints, 'rpm' | 'tpm'> | undefined;
}

/** One counter a request is checked against. */
export interface RateLimitBucket {
  readonly scope: 'user' | 'model';
  readonly kind: RateLimitKind;
  readonly key: string;
  readonly limit: number;
  readonly amount: number;
}

/** Proof of an admitted request, for `reconcile` or `cancel`. */
export interface RateLimitTicket {
  readonly model: string;
  readonly user: string | undefined;
  readonly estimatedTokens: number;
  readonly consumedAt: number;
  /** Buckets that counted this request. */
  readonly buckets: readonly RateLimitBucket[];
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** 0 when allowed; `Infinity` when the request can never fit. */
  readonly retryAfterMs: number;
  /** Least remaining across the applicable buckets, per kind; absent kinds are unlimited. */
  readonly remaining: { readonly requests?: number; readonly tokens?: number };
  /** Epoch ms at which the tightest bucket of each kind is empty again. */
  readonly resetAt: { readonly requests?: number; readonly tokens?: number };
  /** The bucket that refused, when one did. */
  readonly limitedBy?: {
    readonly scope: RateLimitScope;
    readonly kind?: RateLimitKind;
    readonly limit?: number;
  };
  /** Present when allowed. */
  readonly ticket?: RateLimitTicket;
  /** True when the store failed and `failMode` decided. */
  readonly degraded?: boolean;
}

/** Limits are per minute; the window is fixed so `rpm` and `tpm` mean what they say. */
export const RATE_WINDOW_MS = 60_000;

/**
 * RPM and TPM per model and per user over a `CounterStore`. A check counts
 * the request in every applicable bucket or in none: when a later bucket
 * refuses, the earlier ones are refunded in the slot they were counted in.
 */
export class RateLimiter {
  readonly #config: RateLimiterConfig;
  readonly #store: CounterStore;
  /** The store again when it answers synchronously (see `SyncCounterStore`). */
  readonly #sync: SyncCounterStore | undefined;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #prefix: string;
  readonly #settled = new WeakSet<RateLimitTicket>();

  constructor(config: RateLimiterConfig = {}) {
    this.#config = config;
    this.#clock = config.clock ?? systemClock;
    this.#store = config.store ?? new MemoryCounterStore({ clock: this.#clock });
    this.#sync = isSyncCounterStore(this.#store) ? this.#store : undefined;
    this.#timeoutMs = config.timeoutMs ?? 50;
    this.#prefix = config.keyPrefix ?? 'rl:';
  }

  /** The limits that apply to a model (overrides, then its constraints, then `perModel`). */
  limitsForModel(model: string, modelLimits?: Pick<ModelConstraints, 'rpm' | 'tpm'>): RateLimits {
    return merge(
      ownEntry(this.#config.overrides?.models, model),
      modelLimits,
      this.#config.perModel,
    );
  }

  /** The limits that apply to a user (override, then `perUser`). */
  limitsForUser(user: string): RateLimits {
    return merge(ownEntry(this.#config.overrides?.users, user), undefined, this.#config.perUser);
  }

  async check(input: RateLimitCheck): Promise<RateLimitDecision> {
    return this.checkFast(input);
  }

  /**
   * `check`, answered synchronously when nothing needs a promise: no bucket
   * applies, or the store is synchronous (the memory store, which cannot stall,
   * so it needs no timeout race either). The engine awaits only a real promise.
   */
  checkFast(input: RateLimitCheck): RateLimitDecision | Promise<RateLimitDecision> {
    const buckets = this.#buckets(input);
    const sync = this.#sync;
    if (buckets.length > 0 && sync === undefined) return this.#checkAsync(input, buckets);
    const consumedAt = this.#clock.now();
    const done: Consumed[] = [];
    for (const bucket of buckets) {
      let result: ConsumeResult;
      try {
        result = sync!.consumeSync(bucket.key, bucket.amount, bucket.limit, RATE_WINDOW_MS);
      } catch (error) {
        this.#config.onError?.(error);
        if ((this.#config.failMode ?? 'open') === 'open') {
          return this.#admit(input, consumedAt, done, true);
        }
        this.#rollbackSync(sync!, done, consumedAt);
        return storeRefusal();
      }
      if (!result.allowed) {
        this.#rollbackSync(sync!, done, consumedAt);
        return refusal(done, bucket, result);
      }
      done.push({ bucket, result });
    }
    return this.#admit(input, consumedAt, done, false);
  }

  async #checkAsync(
    input: RateLimitCheck,
    buckets: readonly RateLimitBucket[],
  ): Promise<RateLimitDecision> {
    const consumedAt = this.#clock.now();
    const done: Consumed[] = [];
    for (const bucket of buckets) {
      let result: ConsumeResult;
      try {
        result = await this.#call(
          this.#store.consume(bucket.key, bucket.amount, bucket.limit, RATE_WINDOW_MS),
        );
      } catch (error) {
        this.#config.onError?.(error);
        if ((this.#config.failMode ?? 'open') === 'open') {
          return this.#admit(input, consumedAt, done, true);
        }
        await this.#rollback(done, consumedAt);
        return storeRefusal();
      }
      if (!result.allowed) {
        await this.#rollback(done, consumedAt);
        return refusal(done, bucket, result);
      }
      done.push({ bucket, result });
    }
    return this.#admit(input, consumedAt, done, false);
  }

  /** Like `check`, but throws `RateLimitExceededError` when refused. */
  async checkOrThrow(input: RateLimitCheck): Promise<RateLimitDecision> {
    const decision = await this.check(input);
    if (decision.allowed) return decision;
    const by = decision.limitedBy ?? { scope: 'store' as const };
    throw new RateLimitExceededError({
      scope: by.scope,
      kind: by.kind,
      limit: by.limit,
      retryAfterMs: decision.retryAfterMs,
      ...(by.scope === 'model' ? { model: input.model } : {}),
    });
  }

  /**
   * Replaces the token estimate with the actual count: the difference is
   * refunded from (or, for an under-estimate, added to) each TPM bucket the
   * request was counted in. Once per ticket; never throws.
   */
  async reconcile(ticket: RateLimitTicket, actualTokens: number): Promise<void> {
    return this.reconcileFast(ticket, actualTokens);
  }

  /** `reconcile`, synchronously when nothing needs a promise (as `checkFast`). */
  reconcileFast(ticket: RateLimitTicket, actualTokens: number): void | Promise<void> {
    // Nothing was counted (no limit applied): nothing to settle, nor to remember.
    if (ticket.buckets.length === 0) return;
    if (this.#settled.has(ticket)) return;
    this.#settled.add(ticket);
    const actual = Math.max(0, Number.isFinite(actualTokens) ? actualTokens : 0);
    const sync = this.#sync;
    for (let i = 0; i < ticket.buckets.length; i++) {
      const bucket = ticket.buckets[i]!;
      if (bucket.kind !== 'tpm' || actual === bucket.amount) continue;
      if (sync === undefined) return this.#reconcileAsync(ticket, actual, i);
      try {
        if (actual < bucket.amount) {
          sync.refundSync(bucket.key, bucket.amount - actual, RATE_WINDOW_MS, ticket.consumedAt);
        } else {
          // Already spent at the provider: record it whatever the limit says.
          sync.consumeSync(
            bucket.key,
            actual - bucket.amount,
            Number.POSITIVE_INFINITY,
            RATE_WINDOW_MS,
          );
        }
      } catch (error) {
        this.#config.onError?.(error);
      }
    }
  }

  async #reconcileAsync(ticket: RateLimitTicket, actual: number, from: number): Promise<void> {
    for (let i = from; i < ticket.buckets.length; i++) {
      const bucket = ticket.buckets[i]!;
      if (bucket.kind !== 'tpm' || actual === bucket.amount) continue;
      try {
        if (actual < bucket.amount) {
          await this.#call(
            this.#store.refund(
              bucket.key,
              bucket.amount - actual,
              RATE_WINDOW_MS,
              ticket.consumedAt,
            ),
          );
        } else {
          // Already spent at the provider: record it whatever the limit says.
          await this.#call(
            this.#store.consume(
              bucket.key,
              actual - bucket.amount,
              Number.POSITIVE_INFINITY,
              RATE_WINDOW_MS,
            ),
          );
        }
      } catch (error) {
        this.#config.onError?.(error);
      }
    }
  }

  /** Gives everything back for a request that never reached a provider. Once per ticket. */
  async cancel(ticket: RateLimitTicket): Promise<void> {
    if (ticket.buckets.length === 0) return;
    if (this.#settled.has(ticket)) return;
    this.#settled.add(ticket);
    await this.#rollback(
      ticket.buckets.map((bucket) => ({ bucket })),
      ticket.consumedAt,
    );
  }

  #buckets(input: RateLimitCheck): RateLimitBucket[] {
    const tokens = Math.max(
      1,
      Math.ceil(Number.isFinite(input.estimatedTokens) ? input.estimatedTokens : 1),
    );
    const out: RateLimitBucket[] = [];
    if (input.user !== undefined) {
      this.#addBuckets(out, 'user', input.user, this.limitsForUser(input.user), tokens);
    }
    this.#addBuckets(
      out,
      'model',
      input.model,
      this.limitsForModel(input.model, input.modelLimits),
      tokens,
    );
    return out;
  }

  #addBuckets(
    out: RateLimitBucket[],
    scope: 'user' | 'model',
    id: string,
    limits: RateLimits,
    tokens: number,
  ): void {
    // No key is built for a scope without limits (the common case of no limits at all).
    if (!isLimit(limits.rpm) && !isLimit(limits.tpm)) return;
    const base = `${this.#prefix}${scope === 'user' ? 'u' : 'm'}:${encodeURIComponent(id)}`;
    if (isLimit(limits.rpm))
      out.push({ scope, kind: 'rpm', key: `${base}:rpm`, limit: limits.rpm, amount: 1 });
    if (isLimit(limits.tpm))
      out.push({ scope, kind: 'tpm', key: `${base}:tpm`, limit: limits.tpm, amount: tokens });
  }

  #admit(
    input: RateLimitCheck,
    consumedAt: number,
    done: readonly { bucket: RateLimitBucket; result: ConsumeResult }[],
    degraded: boolean,
  ): RateLimitDecision {
    const ticket: RateLimitTicket = {
      model: input.model,
      user: input.user,
      estimatedTokens: input.estimatedTokens,
      consumedAt,
      buckets: done.map((d) => d.bucket),
    };
    // Written field by field: spreads in an object literal take V8's slow path (per request).
    const summary = summarize(done);
    const decision: { -readonly [K in keyof RateLimitDecision]: RateLimitDecision[K] } = {
      allowed: true,
      retryAfterMs: 0,
      remaining: summary.remaining,
      resetAt: summary.resetAt,
      ticket,
    };
    if (degraded) decision.degraded = true;
    return decision;
  }

  async #rollback(done: readonly { bucket: RateLimitBucket }[], consumedAt: number): Promise<void> {
    for (const { bucket } of done) {
      try {
        await this.#call(this.#store.refund(bucket.key, bucket.amount, RATE_WINDOW_MS, consumedAt));
      } catch (error) {
        this.#config.onError?.(error);
      }
    }
  }

  #rollbackSync(sync: SyncCounterStore, done: readonly Consumed[], consumedAt: number): void {
    for (const { bucket } of done) {
      try {
        sync.refundSync(bucket.key, bucket.amount, RATE_WINDOW_MS, consumedAt);
      } catch (error) {
        this.#config.onError?.(error);
      }
    }
  }

  #call<T>(work: Promise<T>): Promise<T> {
    return withTimeout(work, this.#timeoutMs, 'counter store');
  }
}

/** A bucket that counted the request, and what the store said. */
interface Consumed {
  readonly bucket: RateLimitBucket;
  readonly result: ConsumeResult;
}

/** The store failed and `failMode` is `closed`. */
function storeRefusal(): RateLimitDecision {
  return {
    allowed: false,
    retryAfterMs: 1_000,
    remaining: {},
    resetAt: {},
    limitedBy: { scope: 'store' },
    degraded: true,
  };
}

/** `bucket` refused; the earlier ones were refunded, so they report their amounts back. */
function refusal(
  done: readonly Consumed[],
  bucket: RateLimitBucket,
  result: ConsumeResult,
): RateLimitDecision {
  const restored = done.map(({ bucket: b, result: r }) => ({
    bucket: b,
    result: { ...r, remaining: Math.min(b.limit, r.remaining + b.amount) },
  }));
  return {
    allowed: false,
    retryAfterMs: result.retryAfterMs,
    ...summarize([...restored, { bucket, result }]),
    limitedBy: { scope: bucket.scope, kind: bucket.kind, limit: bucket.limit },
  };
}

function isLimit(value: number | undefined): value is number {
  return value !== undefined && value >= 0 && Number.isFinite(value);
}

/** Own entries only: a user called `constructor` must not find `Object.prototype.constructor`. */
function ownEntry(
  table: Readonly<Record<string, RateLimits>> | undefined,
  name: string,
): RateLimits | undefined {
  return table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Field by field, the first layer that sets it. */
function merge(
  a: RateLimits | undefined,
  b: RateLimits | undefined,
  c: RateLimits | undefined,
): RateLimits {
  const rpm =
    a?.rpm !== undefined
      ? a.rpm
      : b?.rpm !== undefined
        ? b.rpm
        : c?.rpm !== undefined
          ? c.rpm
          : undefined;
  const tpm =
    a?.tpm !== undefined
      ? a.tpm
      : b?.tpm !== undefined
        ? b.tpm
        : c?.tpm !== undefined
          ? c.tpm
          : undefined;
  if (rpm === undefined) return tpm === undefined ? {} : { tpm };
  return tpm === undefined ? { rpm } : { rpm, tpm };
}

function summarize(
  entries: readonly { bucket: RateLimitBucket; result: ConsumeResult }[],
): Pick<RateLimitDecision, 'remaining' | 'resetAt'> {
  const remaining: { requests?: number; tokens?: number } = {};
  const resetAt: { requests?: number; tokens?: number } = {};
  for (const { bucket, result } of entries) {
    const field = bucket.kind === 'rpm' ? 'requests' : 'tokens';
    const current = remaining[field];
    if (current === undefined || result.remaining < current) {
      remaining[field] = result.remaining;
      resetAt[field] = result.resetAt;
    }
  }
  return { remaining, resetAt };
}
