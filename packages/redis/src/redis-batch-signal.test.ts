import { afterEach, describe, expect, it } from 'vitest';
import {
  client,
  FrozenServer,
  noRedis,
  ready,
  uniquePrefix,
  warnIfSkipped,
} from './__tests__/redis-test-env.js';
import { createRedisClient } from './create-redis-client.js';
import { RedisBatchSignal } from './redis-batch-signal.js';
import { RedisUnavailableError } from './redis-errors.js';

warnIfSkipped('RedisBatchSignal');

describe.skipIf(noRedis)('RedisBatchSignal', () => {
  const open: { close(): void }[] = [];
  const track = <T extends { close(): void }>(x: T): T => {
    open.push(x);
    return x;
  };
  afterEach(() => {
    for (const x of open.splice(0)) x.close();
  });

  const waitFor = async (what: string, done: () => boolean, ms = 2_000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('wakes every listening instance (the publisher too) with the batch id, on its own channel only', async () => {
    const channel = uniquePrefix('signal');
    const instances = await Promise.all(
      [0, 1, 2].map(async () => {
        const c = await ready(client());
        track({ close: () => c.disconnect() });
        return track(new RedisBatchSignal({ client: c, channel }));
      }),
    );
    const other = track(
      new RedisBatchSignal({ client: await ready(client()), channel: `${channel}-other` }),
    );
    const heard: string[][] = [[], [], []];
    await Promise.all(instances.map((s, i) => s.listen((id) => heard[i]!.push(id))));
    const otherHeard: string[] = [];
    await other.listen((id) => otherHeard.push(id));

    expect(await instances[0]!.notify('batch_abc')).toBe(3);
    await waitFor('three wake-ups', () => heard.every((h) => h.length === 1));
    expect(heard).toEqual([['batch_abc'], ['batch_abc'], ['batch_abc']]);
    expect(otherHeard).toEqual([]);
    await expect(instances[1]!.notify('bad id with spaces')).rejects.toThrow(/batchId/);
    await expect(instances[1]!.listen(() => {})).rejects.toThrow(/already listening/);
  });

  it('a handler that throws is reported to onError and the next wake-up still arrives', async () => {
    const channel = uniquePrefix('signal-late');
    const errors: unknown[] = [];
    const c = await ready(client());
    track({ close: () => c.disconnect() });
    const signal = track(
      new RedisBatchSignal({ client: c, channel, onError: (e) => errors.push(e) }),
    );
    const heard: string[] = [];
    await signal.listen((id) => {
      heard.push(id);
      if (id === 'boom') throw new Error('handler failed');
    });
    await signal.notify('boom');
    await signal.notify('after');
    await waitFor('both ids', () => heard.length === 2);
    expect(heard).toEqual(['boom', 'after']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['handler failed']);
  });

  it('a publish to a frozen Redis fails fast with a typed error', async () => {
    const frozen = await new FrozenServer().start();
    try {
      const c = createRedisClient(frozen.url, { connectTimeoutMs: 100 });
      track({ close: () => c.disconnect() });
      const signal = track(new RedisBatchSignal({ client: c, timeoutMs: 100 }));
      // listen() does not wait for a Redis that never answers.
      const started = Date.now();
      await signal.listen(() => {});
      await expect(signal.notify('batch_x')).rejects.toBeInstanceOf(RedisUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await frozen.close();
    }
  });
});
