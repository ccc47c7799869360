import { ModelCache, RateLimiter, UCBModelSelector } from '@orchestrator/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUp,
  client,
  noRedis,
  REDIS_URL,
  ready,
  uniquePrefix,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { createRedisSharedState } from './create-redis-shared-state.js';

const prefix = uniquePrefix('shared');
warnIfSkipped('createRedisSharedState');

describe.skipIf(noRedis)('createRedisSharedState', () => {
  afterAll(async () => {
    await ready(client());
    await cleanUp(prefix);
  });

  it('wires every store under one prefix, shared by two instances', async () => {
    const make = () =>
      createRedisSharedState({
        url: REDIS_URL ?? '',
        keyPrefix: prefix,
        client: { commandTimeoutMs: 2_000 },
      });
    const one = make();
    const two = make();
    try {
      await Promise.all([ready(one.client), ready(two.client)]);
      const cacheOne = new ModelCache({ store: one.cacheStore, timeoutMs: 2_000 });
      const cacheTwo = new ModelCache({ store: two.cacheStore, timeoutMs: 2_000 });
      const response = { id: 'r1' } as never;
      await cacheOne.set('k', response);
      expect((await cacheTwo.get('k'))?.value).toEqual({ id: 'r1' });

      const limits = [one, two].map(
        (s) => new RateLimiter({ store: s.counterStore, perModel: { rpm: 3 }, timeoutMs: 2_000 }),
      );
      const decisions = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((i) => limits[i % 2]!.check({ model: 'm', estimatedTokens: 1 })),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);

      const a = new UCBModelSelector();
      const b = new UCBModelSelector();
      const statsA = one.shareSelector(a);
      const statsB = two.shareSelector(b);
      a.update('m', 1);
      b.update('m', 0);
      await statsA.sync();
      await statsB.sync();
      await statsA.sync();
      expect(a.statistics('m').pulls).toBe(2);
      expect(b.statistics('m').mean).toBeCloseTo(0.5);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
