import { randomBytes } from 'node:crypto';
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
import { RedisBatchQueue, type RedisBatchQueueOptions } from './redis-batch-queue.js';

const prefix = uniquePrefix('batch');
warnIfSkipped('RedisBatchQueue');

/** Resolves when `count` items have settled. */
function settledCounter(count: number): { onSettled: () => void; done: Promise<void> } {
  let seen = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  return {
    onSettled: () => {
      if (++seen === count) resolve();
    },
    done,
  };
}

describe.skipIf(noRedis)('RedisBatchQueue', () => {
  const queues: RedisBatchQueue<number, number>[] = [];
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    // A client only to clean up after BullMQ's keys.
    await ready(client());
    await cleanUp(prefix);
  });

  /** Two instances of one queue, each on its own connections. */
  function pair(
    extra: Partial<RedisBatchQueueOptions> = {},
  ): [RedisBatchQueue<number, number>, RedisBatchQueue<number, number>] {
    const options: RedisBatchQueueOptions = {
      url: REDIS_URL ?? '',
      queueName: `q${randomBytes(4).toString('hex')}`,
      keyPrefix: `${prefix}bull`,
      backoffMs: 1,
      ...extra,
    };
    const made: [RedisBatchQueue<number, number>, RedisBatchQueue<number, number>] = [
      new RedisBatchQueue(options),
      new RedisBatchQueue(options),
    ];
    queues.push(...made);
    return made;
  }

  it('two workers on two instances share one batch; every item runs exactly once', async () => {
    const [a, b] = pair();
    const runs = new Map<number, string[]>();
    let inFlight = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((r) => {
      openGate = r;
    });
    const handler = (worker: string) => async (item: number, ctx: { index: number }) => {
      runs.set(ctx.index, [...(runs.get(ctx.index) ?? []), worker]);
      // Each worker runs at most 3 at once, so 4 in flight proves both are working.
      if (++inFlight >= 4) openGate();
      await gate;
      inFlight--;
      return item * 2;
    };
    const items = Array.from({ length: 30 }, (_, i) => i);
    expect(await a.submit('job-1', items)).toEqual({ batchId: 'job-1', total: 30, enqueued: 30 });
    // Submitting again (a client retry) adds nothing.
    await a.submit('job-1', items);
    const counter = settledCounter(30);
    a.process(handler('a'), { concurrency: 3, onSettled: counter.onSettled });
    b.process(handler('b'), { concurrency: 3, onSettled: counter.onSettled });
    await counter.done;
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(items);
    expect([...runs.values()].every((workers) => workers.length === 1)).toBe(true);
    const workers = new Set([...runs.values()].flat());
    expect(workers).toEqual(new Set(['a', 'b']));
    // Visible from the instance that did not accept the batch.
    const status = await b.status('job-1', { items: true });
    expect(status).toMatchObject({
      total: 30,
      completed: 30,
      failed: 0,
      pending: 0,
      state: 'done',
    });
    expect(status?.items?.[7]).toEqual({ index: 7, status: 'completed', result: 14 });
    expect(await a.submit('job-1', items)).toMatchObject({ enqueued: 0 });
  });

  it('records a failing item after its attempts instead of retrying forever', async () => {
    const [a] = pair({ attempts: 2 });
    const calls = new Map<number, number>();
    await a.submit('with-failure', [0, 1, 2, 3]);
    const counter = settledCounter(4);
    a.process(
      async (item) => {
        calls.set(item, (calls.get(item) ?? 0) + 1);
        if (item === 3) throw new Error('provider exploded');
        return item;
      },
      { concurrency: 2, onSettled: counter.onSettled },
    );
    await counter.done;
    expect(calls.get(3)).toBe(2);
    const status = await a.status('with-failure', { items: true });
    expect(status).toMatchObject({ total: 4, completed: 3, failed: 1, pending: 0, state: 'done' });
    expect(status?.items?.[3]).toEqual({
      index: 3,
      status: 'failed',
      error: 'Error: provider exploded',
    });
  });

  it('an item whose worker dies mid-run is picked up by another worker; none is lost', async () => {
    const [a, b] = pair({ lockDurationMs: 600, stalledIntervalMs: 200 });
    await a.submit('crash', [10, 11, 12]);
    let started!: () => void;
    const crashedWorkerStarted = new Promise<void>((r) => {
      started = r;
    });
    // Worker A takes an item and never finishes it.
    const dying = a.process(
      () => {
        started();
        return new Promise<number>(() => {});
      },
      { concurrency: 1 },
    );
    await crashedWorkerStarted;
    await dying.close(true);
    const crashedAt = performance.now();
    let recoveredAfter = 0;
    const seen: number[] = [];
    const counter = settledCounter(3);
    b.process(
      async (item) => {
        seen.push(item);
        if (item === 10) recoveredAfter = performance.now() - crashedAt;
        return item;
      },
      { concurrency: 2, onSettled: counter.onSettled },
    );
    await counter.done;
    expect(seen.sort()).toEqual([10, 11, 12]);
    // Item 10 came back through BullMQ's stalled check once the dead worker's lock lapsed, not at once.
    expect(recoveredAfter).toBeGreaterThan(300);
    expect(await b.status('crash')).toMatchObject({
      completed: 3,
      failed: 0,
      pending: 0,
      state: 'done',
    });
  });

  it('validates what it is given', async () => {
    const [a] = pair();
    await expect(a.submit('bad:id', [1])).rejects.toThrow(TypeError);
    await expect(a.submit('empty', [])).rejects.toThrow(RangeError);
    await a.submit('sized', [1, 2]);
    await expect(a.submit('sized', [1, 2, 3])).rejects.toThrow(/already submitted with 2 items/);
    expect(await a.status('never-submitted')).toBeUndefined();
    expect(await a.status('../../etc')).toBeUndefined();
  });
});
