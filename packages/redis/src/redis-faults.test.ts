import {
  BudgetManager,
  BudgetUnavailableError,
  type CachedEntry,
  ModelCache,
  RateLimiter,
  UCBModelSelector,
} from '@orchestrator/core';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanUp,
  client,
  FrozenServer,
  noRedis,
  RedisProxy,
  ready,
  trackUnhandled,
  uniquePrefix,
  unusedPort,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { createRedisClient } from './create-redis-client.js';
import { RedisBatchQueue } from './redis-batch-queue.js';
import { RedisBudgetLedger } from './redis-budget-ledger.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { RedisTimeoutError, RedisUnavailableError } from './redis-errors.js';
import { RedisSelectorStats } from './redis-selector-stats.js';
import { withRedisTimeout } from './with-redis-timeout.js';

const prefix = uniquePrefix('faults');
warnIfSkipped('Redis frozen while connected');
/** "Fails fast" means this, on a shared, busy 2-core machine (the stores' budget is 50 ms). */
const FAST_MS = 150;

/** Every store operation against one client, each expected to reject fast and typed. */
function operations(c: Redis): [string, () => Promise<unknown>][] {
  const cache = new RedisCacheStore({ client: c, keyPrefix: prefix });
  const counters = new RedisCounterStore({ client: c, keyPrefix: prefix });
  const ledger = new RedisBudgetLedger({ client: c, keyPrefix: prefix, timeoutMs: 50 });
  return [
    ['cache get', () => cache.get('k')],
    ['cache set', () => cache.set('k', { v: 1 }, 1_000)],
    ['cache delete', () => cache.delete('k')],
    ['cache size', () => cache.size()],
    ['counter consume', () => counters.consume('k', 1, 10, 60_000)],
    ['counter refund', () => counters.refund('k', 1, 60_000)],
    ['counter peek', () => counters.peek('k', 60_000)],
    ['budget reserve', () => ledger.reserve('u', 0.1, 1, 'p', 60_000)],
    [
      'budget commit',
      () => ledger.commit(`${'a'.repeat(22)}.00000000-0000-0000-0000-000000000000`, 0.1),
    ],
    [
      'budget release',
      () => ledger.release(`${'a'.repeat(22)}.00000000-0000-0000-0000-000000000000`),
    ],
    ['budget record', () => ledger.record('u', 'p', 0.1)],
    ['budget usage', () => ledger.usage('u', 'p')],
  ];
}

async function expectAllFailFast(c: Redis): Promise<number> {
  let slowest = 0;
  for (const [name, run] of operations(c)) {
    const started = performance.now();
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    slowest = Math.max(slowest, elapsed);
    expect(RedisUnavailableError.isInstance(error), `${name} rejects typed`).toBe(true);
    expect(elapsed, `${name} took ${elapsed.toFixed(1)} ms`).toBeLessThan(FAST_MS);
  }
  return slowest;
}

const clients: Redis[] = [];
function make(url: string): Redis {
  const c = createRedisClient(url);
  clients.push(c);
  return c;
}
let unhandled: ReturnType<typeof trackUnhandled>;
function startWatching(): void {
  unhandled = trackUnhandled();
}
/** Closes the clients, then checks that nothing was left unhandled. */
function stopWatching(): void {
  for (const c of clients.splice(0)) c.disconnect();
  unhandled.stop();
  expect(unhandled.errors).toEqual([]);
}

describe('Redis faults: every store op fails fast and typed, nothing hangs or crashes', () => {
  beforeEach(startWatching);
  afterEach(stopWatching);

  it('Redis unreachable (nothing listens on the port)', async () => {
    const c = make(`redis://127.0.0.1:${await unusedPort()}`);
    const slowest = await expectAllFailFast(c);
    console.info(`unreachable: slowest store op rejected in ${slowest.toFixed(1)} ms`);
  });

  it('Redis frozen from the start (accepts TCP, never answers)', async () => {
    const frozen = await new FrozenServer().start();
    try {
      const c = make(frozen.url);
      await new Promise<void>((resolve) => c.once('connect', () => resolve()));
      const slowest = await expectAllFailFast(c);
      console.info(`frozen at start: slowest store op rejected in ${slowest.toFixed(1)} ms`);
    } finally {
      await frozen.close();
    }
  });

  it('drops a connection stuck in the ready check and keeps retrying in the background', async () => {
    const frozen = await new FrozenServer().start();
    try {
      const c = createRedisClient(frozen.url, {
        connectTimeoutMs: 30,
        reconnectBaseMs: 5,
        reconnectMaxMs: 20,
      });
      clients.push(c);
      let connects = 0;
      await new Promise<void>((resolve) =>
        c.on('connect', () => {
          if (++connects === 3) resolve();
        }),
      );
      expect(connects).toBe(3);
    } finally {
      await frozen.close();
    }
  });

  it('starts while Redis is down and connects once it is up', async () => {
    const port = await unusedPort();
    const c = make(`redis://127.0.0.1:${port}`);
    await expect(c.ping()).rejects.toThrow();
    const proxy = await new RedisProxy().start(port);
    try {
      await new Promise<void>((resolve) => c.once('ready', () => resolve()));
      expect(await c.ping()).toBe('PONG');
    } finally {
      await proxy.close();
    }
  });

  it('withRedisTimeout turns a call that never settles into a RedisTimeoutError', async () => {
    const started = performance.now();
    const error = await withRedisTimeout(new Promise(() => {}), 20, 'test op').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect(error).toMatchObject({
      code: 'redis_timeout',
      operation: 'test op',
      timeoutMs: 20,
      retryable: true,
    });
    expect(performance.now() - started).toBeLessThan(FAST_MS);
    // A late rejection of the abandoned call is not reported as unhandled.
    const late = Promise.reject(new Error('late'));
    await expect(withRedisTimeout(late, 20, 'late op')).rejects.toMatchObject({
      code: 'redis_unavailable',
    });
  });

  it('the batch queue rejects fast and closes cleanly while Redis is unreachable', async () => {
    const errors: unknown[] = [];
    const queue = new RedisBatchQueue<number, number>({
      url: `redis://127.0.0.1:${await unusedPort()}`,
      timeoutMs: 100,
      onError: (e) => errors.push(e),
    });
    const worker = queue.process(async (n) => n);
    let started = performance.now();
    await expect(queue.submit('b', [1])).rejects.toSatisfy((e) =>
      RedisUnavailableError.isInstance(e),
    );
    expect(performance.now() - started).toBeLessThan(FAST_MS + 100);
    await expect(queue.status('b')).rejects.toSatisfy((e) => RedisUnavailableError.isInstance(e));
    started = performance.now();
    await worker.close();
    await queue.close();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('never leaks a password from the URL into an error', async () => {
    const error = await withRedisTimeout(
      Promise.reject(new Error('connect to redis://admin:s3cret@10.0.0.1:6379 failed')),
      50,
      'op',
    ).catch((e: unknown) => e as Error);
    expect(error.message).not.toContain('s3cret');
    expect(() => createRedisClient('http://x')).toThrow(TypeError);
  });
});

describe.skipIf(noRedis)('Redis that freezes while connected (a proxy holding every reply)', () => {
  let proxy: RedisProxy;
  beforeEach(async () => {
    startWatching();
    proxy = await new RedisProxy().start();
  });
  afterEach(async () => {
    proxy.release();
    await proxy.close();
    stopWatching();
  });
  // Redis did run the commands whose replies the proxy held back: remove what they wrote.
  afterAll(async () => {
    await ready(client());
    await cleanUp(prefix);
  });

  it('rejects every store op within the command budget, then recovers', async () => {
    const c = make(proxy.url);
    await new Promise<void>((resolve) => c.once('ready', () => resolve()));
    proxy.hold();
    const slowest = await expectAllFailFast(c);
    console.info(`frozen while connected: slowest store op rejected in ${slowest.toFixed(1)} ms`);
    proxy.release();
    if (c.status !== 'ready')
      await new Promise<void>((resolve) => c.once('ready', () => resolve()));
    expect(await c.ping()).toBe('PONG');
  });

  it('recycles a connection that stays silent, and reconnects once Redis answers again', async () => {
    const c = createRedisClient(proxy.url, { deadSocketMs: 200 });
    clients.push(c);
    await new Promise<void>((resolve) => c.once('ready', () => resolve()));
    proxy.hold();
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    await expect(c.ping()).rejects.toThrow();
    await closed;
    proxy.release();
    await new Promise<void>((resolve) => c.once('ready', () => resolve()));
    expect(await c.ping()).toBe('PONG');
  });

  it('ModelCache counts a frozen Redis as a miss; RateLimiter fails open; BudgetManager fails closed', async () => {
    const c = make(proxy.url);
    await new Promise<void>((resolve) => c.once('ready', () => resolve()));
    proxy.hold();
    const cache = new ModelCache<{ id: string }>({
      store: new RedisCacheStore<CachedEntry<{ id: string }>>({ client: c, keyPrefix: prefix }),
    });
    let started = performance.now();
    expect(await cache.get('k')).toBeUndefined();
    const cacheMs = performance.now() - started;
    expect(cacheMs, 'cache miss').toBeLessThan(FAST_MS);
    expect(await cache.stats()).toMatchObject({ misses: 1, errors: 2 });

    const limiter = new RateLimiter({
      store: new RedisCounterStore({ client: c, keyPrefix: prefix }),
      perModel: { rpm: 1 },
    });
    started = performance.now();
    const decision = await limiter.check({ model: 'm', estimatedTokens: 1 });
    expect(decision).toMatchObject({ allowed: true, degraded: true });
    expect(performance.now() - started, 'rate limiter decision').toBeLessThan(FAST_MS);

    const budgets = new BudgetManager({
      ledger: new RedisBudgetLedger({ client: c, keyPrefix: prefix }),
      perUser: { limitUsd: 1 },
    });
    started = performance.now();
    await expect(budgets.reserve({ user: 'u', worstCaseUsd: 0.1 })).rejects.toBeInstanceOf(
      BudgetUnavailableError,
    );
    // The ledger's budget is 100 ms (BudgetManager's default); the same slack on top.
    expect(performance.now() - started, 'budget refusal').toBeLessThan(FAST_MS + 50);
    console.info(`ModelCache miss on a frozen Redis after ${cacheMs.toFixed(1)} ms`);
  });

  it('selector stats keep working locally while Redis is frozen', async () => {
    const c = make(proxy.url);
    await new Promise<void>((resolve) => c.once('ready', () => resolve()));
    const selector = new UCBModelSelector();
    const errors: unknown[] = [];
    const stats = new RedisSelectorStats({
      client: c,
      selector,
      keyPrefix: prefix,
      timeoutMs: 50,
      onError: (e) => errors.push(e),
    });
    selector.update('m', 1);
    proxy.hold();
    expect(await stats.sync()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(selector.statistics('m').pulls).toBe(1);
  });
});
