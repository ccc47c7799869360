import { UCBModelSelector } from '@orchestrator/core';
import { seededRandom } from '@orchestrator/core/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  cleanUp,
  client,
  noRedis,
  RedisProxy,
  ready,
  uniquePrefix,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { RedisSelectorStats } from './redis-selector-stats.js';

const prefix = uniquePrefix('ucb');
warnIfSkipped('RedisSelectorStats');

/** Feeds the same seeded outcomes to every selector given. */
function feed(random: () => number, count: number, ...selectors: UCBModelSelector[]): void {
  for (let i = 0; i < count; i++) {
    const model = random() < 0.6 ? 'fast' : 'smart';
    const reward = model === 'fast' ? (random() < 0.3 ? 1 : 0) : random() < 0.8 ? 1 : 0;
    for (const s of selectors) s.update(model, reward);
  }
}

function expectSameStats(actual: UCBModelSelector, expected: UCBModelSelector): void {
  for (const model of ['fast', 'smart']) {
    const a = actual.statistics(model);
    const e = expected.statistics(model);
    expect(a.pulls, model).toBe(e.pulls);
    expect(a.weight, model).toBeCloseTo(e.weight, 9);
    expect(a.mean, model).toBeCloseTo(e.mean ?? Number.NaN, 9);
  }
}

describe.skipIf(noRedis)('RedisSelectorStats', () => {
  afterAll(() => cleanUp(prefix));
  const options = { changeDetection: false } as const;

  it('two instances on two connections converge to the sum of their outcomes, counted once', async () => {
    const name = 'converge';
    const [ca, cb] = await Promise.all([ready(client()), ready(client())]);
    const a = new UCBModelSelector(options);
    const b = new UCBModelSelector(options);
    const all = new UCBModelSelector(options);
    const sa = new RedisSelectorStats({
      client: ca,
      selector: a,
      name,
      keyPrefix: prefix,
      timeoutMs: 2_000,
    });
    const sb = new RedisSelectorStats({
      client: cb,
      selector: b,
      name,
      keyPrefix: prefix,
      timeoutMs: 2_000,
    });
    const random = seededRandom(7);
    for (let round = 0; round < 5; round++) {
      feed(random, 40, a, all);
      feed(random, 25, b, all);
      // Uneven sync patterns: repeated and interleaved syncs must not count anything twice.
      expect(await sa.sync()).toBe(true);
      expect(await sb.sync()).toBe(true);
      expect(await sb.sync()).toBe(true);
    }
    await sa.sync();
    expectSameStats(a, all);
    expectSameStats(b, all);
    expect(a.statistics('fast').pulls + a.statistics('smart').pulls).toBe(5 * 65);
  });

  it('keeps outcomes that arrive while a sync is in flight', async () => {
    const c = await ready(client());
    const selector = new UCBModelSelector(options);
    const reference = new UCBModelSelector(options);
    const stats = new RedisSelectorStats({
      client: c,
      selector,
      name: 'inflight',
      keyPrefix: prefix,
      timeoutMs: 2_000,
    });
    const random = seededRandom(11);
    feed(random, 10, selector, reference);
    const running = stats.sync();
    feed(random, 5, selector, reference);
    expect(await running).toBe(true);
    expectSameStats(selector, reference);
    // The five late outcomes reach Redis on the next sync, once.
    const other = new UCBModelSelector(options);
    await stats.sync();
    await new RedisSelectorStats({
      client: c,
      selector: other,
      name: 'inflight',
      keyPrefix: prefix,
    }).sync();
    expectSameStats(other, reference);
  });

  it('counts a delta once when its reply was lost and it is sent again', async () => {
    const proxy = await new RedisProxy().start();
    try {
      const c = await ready(client({ commandTimeoutMs: 2_000 }, proxy.url));
      const selector = new UCBModelSelector(options);
      const reference = new UCBModelSelector(options);
      const errors: unknown[] = [];
      const stats = new RedisSelectorStats({
        client: c,
        selector,
        name: 'lost-reply',
        keyPrefix: prefix,
        timeoutMs: 100,
        onError: (e) => errors.push(e),
      });
      feed(seededRandom(3), 20, selector, reference);
      proxy.hold();
      // Redis applies the delta; the reply is held back, so this instance cannot know it did.
      expect(await stats.sync()).toBe(false);
      expect(errors).toHaveLength(1);
      feed(seededRandom(4), 7, selector, reference);
      proxy.release();
      expect(await stats.sync()).toBe(true);
      await stats.sync();
      const fresh = new UCBModelSelector(options);
      await new RedisSelectorStats({
        client: await ready(client()),
        selector: fresh,
        name: 'lost-reply',
        keyPrefix: prefix,
      }).sync();
      expectSameStats(fresh, reference);
      expectSameStats(selector, reference);
    } finally {
      proxy.release();
      await proxy.close();
    }
  });

  it('syncs in the background every intervalMs once started', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const stats = new RedisSelectorStats({
        client: await ready(client()),
        selector: new UCBModelSelector(),
        name: 'timer',
        keyPrefix: prefix,
        intervalMs: 1_000,
      });
      const sync = vi.spyOn(stats, 'sync');
      stats.start();
      vi.advanceTimersByTime(999);
      expect(sync).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(sync).toHaveBeenCalledTimes(1);
      await stats.close();
      vi.advanceTimersByTime(5_000);
      expect(sync).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a nonsensical interval', () => {
    expect(
      () =>
        new RedisSelectorStats({
          client: client(),
          selector: new UCBModelSelector(),
          intervalMs: 0,
        }),
    ).toThrow(RangeError);
  });
});
