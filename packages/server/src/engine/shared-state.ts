import {
  type BudgetLedger,
  type CachedEntry,
  type CacheStore,
  type ChatResponse,
  type CounterStore,
  withTimeout,
} from '@orchestrator/core';
import type { createRedisClient, RedisBatchSignal } from '@orchestrator/redis';
import type { GatewayConfig } from '../config/config-schema.js';
import { Counter } from './prom-client-parts.js';

export interface SharedStores {
  readonly cache?: CacheStore<CachedEntry<ChatResponse>>;
  readonly counters?: CounterStore;
  readonly ledger?: BudgetLedger;
}

/**
 * Requests decided without the shared store's answer: the counter or ledger
 * call failed or outlasted `limits.storeTimeoutMs` / `budgets.ledgerTimeoutMs`,
 * and `failMode` admitted or refused the request. Registered into the
 * gateway's metrics registry by createServer.
 */
export function degradedDecisionsCounter(): Counter<'check' | 'decision'> {
  return new Counter({
    name: 'orchestrator_degraded_decisions_total',
    help: 'Requests admitted or refused without the shared store (Redis) answering in time, by check (rate_limit, budget) and decision (admitted, refused).',
    labelNames: ['check', 'decision'] as const,
    registers: [],
  });
}

/**
 * Bounds the counter store's admission calls by `timeoutMs` and counts each
 * one that fails. The rate limiter is given the same budget; this timer is
 * armed first, so it fires first and the limiter sees this rejection — the
 * count is exactly the number of checks `failMode` decided. Only admission
 * calls (a finite limit) count; settling a finished request's tokens is not
 * an admission.
 */
function countingCounters(
  inner: CounterStore,
  timeoutMs: number,
  onDegraded: () => void,
): CounterStore {
  return {
    consume(key, amount, limit, windowMs) {
      const work = withTimeout(inner.consume(key, amount, limit, windowMs), timeoutMs, 'counter');
      if (Number.isFinite(limit)) work.catch(onDegraded);
      return work;
    },
    refund: (key, amount, windowMs, consumedAt) => inner.refund(key, amount, windowMs, consumedAt),
    peek: (key, windowMs) => inner.peek(key, windowMs),
  };
}

/** As countingCounters, for budget reservations (an admission); commits and reads pass through. */
function countingLedger(
  inner: BudgetLedger,
  timeoutMs: number,
  onDegraded: () => void,
): BudgetLedger {
  return {
    reserve(scope, amountUsd, limitUsd, periodKey, ttlMs) {
      const work = withTimeout(
        inner.reserve(scope, amountUsd, limitUsd, periodKey, ttlMs),
        timeoutMs,
        'budget ledger',
      );
      work.catch(onDegraded);
      return work;
    },
    commit: (id, actualUsd) => inner.commit(id, actualUsd),
    release: (id) => inner.release(id),
    record: (scope, periodKey, amountUsd) => inner.record(scope, periodKey, amountUsd),
    usage: (scope, periodKey) => inner.usage(scope, periodKey),
  };
}

/** The Redis client (when the gateway opened one), the stores for the engine, and whether Redis was down at start. */
export async function connectSharedState(
  config: GatewayConfig,
  env: Readonly<Record<string, string | undefined>>,
  given: SharedStores | undefined,
): Promise<{
  redis: ReturnType<typeof createRedisClient> | undefined;
  /** The Redis package, imported only when Redis is used (it costs ~25 MB of RSS). */
  redisModule: typeof import('@orchestrator/redis') | undefined;
  stores: SharedStores | undefined;
  /** Wakes every instance when a batch is submitted (Redis only). */
  batchSignal: RedisBatchSignal | undefined;
  degraded: Counter<'check' | 'decision'>;
  down: boolean;
}> {
  const degraded = degradedDecisionsCounter();
  const limitsDecision = config.limits.failMode === 'open' ? 'admitted' : 'refused';
  const budgetDecision = config.budgets.failMode === 'open' ? 'admitted' : 'refused';
  const count = (stores: SharedStores | undefined): SharedStores | undefined =>
    stores === undefined
      ? undefined
      : {
          ...(stores.cache ? { cache: stores.cache } : {}),
          ...(stores.counters
            ? {
                counters: countingCounters(stores.counters, config.limits.storeTimeoutMs, () =>
                  degraded.inc({ check: 'rate_limit', decision: limitsDecision }),
                ),
              }
            : {}),
          ...(stores.ledger
            ? {
                ledger: countingLedger(stores.ledger, config.budgets.ledgerTimeoutMs, () =>
                  degraded.inc({ check: 'budget', decision: budgetDecision }),
                ),
              }
            : {}),
        };

  // REDIS_URL shares cache, rate counters and budgets between instances; given stores win.
  const redisUrl = config.storage.redisUrl ?? (env.REDIS_URL?.trim() || undefined);
  if (given !== undefined || redisUrl === undefined)
    return {
      redis: undefined,
      redisModule: undefined,
      stores: count(given),
      batchSignal: undefined,
      degraded,
      down: false,
    };
  const redisModule = await import('@orchestrator/redis');
  // Every call bounds itself (the stores' timeouts below); the connection must not cut one shorter.
  const redis = redisModule.createRedisClient(redisUrl, {
    commandTimeoutMs: Math.max(
      redisModule.DEFAULT_COMMAND_TIMEOUT_MS,
      config.limits.storeTimeoutMs,
      config.budgets.ledgerTimeoutMs,
    ),
  });
  const prefix = config.storage.redisKeyPrefix;
  const stores: SharedStores = {
    cache: new redisModule.RedisCacheStore<CachedEntry<ChatResponse>>({
      client: redis,
      keyPrefix: `${prefix}cache:`,
    }),
    counters: new redisModule.RedisCounterStore({
      client: redis,
      keyPrefix: `${prefix}ctr:`,
      timeoutMs: config.limits.storeTimeoutMs,
    }),
    ledger: new redisModule.RedisBudgetLedger({
      client: redis,
      keyPrefix: `${prefix}budget:`,
      timeoutMs: config.budgets.ledgerTimeoutMs,
    }),
  };
  const batchSignal = new redisModule.RedisBatchSignal({
    client: redis,
    channel: `${prefix}batches`,
  });
  // Give Redis a moment at startup; if it is down the server still starts (cache misses, limits fail open).
  const redisDown = await redisModule.whenRedisReady(redis, 2_000).then(
    () => false,
    () => true,
  );
  return { redis, redisModule, stores: count(stores), batchSignal, degraded, down: redisDown };
}
