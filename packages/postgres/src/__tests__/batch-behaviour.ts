import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { GatewayStore } from '../gateway-store.js';
import type { StoreHarness } from './store-behaviour.js';

const uid = (): string => randomUUID().slice(0, 8);

/** Batch behaviour shared by every store; runs inside describeStoreBehaviour. */
export function describeBatchBehaviour(get: () => { store: GatewayStore; h: StoreHarness }): void {
  it('batches: create stores every item in order; totals must match', async () => {
    const { store } = get();
    const id = `b-${uid()}`;
    const requests = [{ messages: [{ role: 'user', content: 'hi' }] }, 'text', [1, 2], null];
    const batch = await store.batches.create(
      { id, user: 'alice', total: 4, options: { strategy: 'x' } },
      requests,
    );
    expect(batch).toMatchObject({ id, status: 'queued', total: 4, succeeded: 0, failed: 0 });
    expect(batch.options).toEqual({ strategy: 'x' });
    const items = await store.batches.items(id);
    expect(items.map((i) => [i.index, i.status, i.attempts])).toEqual([
      [0, 'pending', 0],
      [1, 'pending', 0],
      [2, 'pending', 0],
      [3, 'pending', 0],
    ]);
    expect(items.map((i) => i.request)).toEqual(requests);
    await expect(
      store.batches.create({ id: `b-${uid()}`, user: null, total: 3, options: {} }, [1]),
    ).rejects.toThrow(/total/);
    await expect(
      store.batches.create({ id, user: null, total: 1, options: {} }, [1]),
    ).rejects.toThrow();
    expect(await store.batches.get('missing')).toBeUndefined();
    const empty = await store.batches.create(
      { id: `b-${uid()}`, user: null, total: 0, options: {} },
      [],
    );
    expect(empty.status).toBe('completed');
  });

  it('batches: claims are disjoint, stale claims come back, completion counts once', async () => {
    const { store, h } = get();
    const id = `b-${uid()}`;
    await store.batches.create({ id, user: null, total: 6, options: {} }, [0, 1, 2, 3, 4, 5]);
    const [a, b] = await Promise.all([
      store.batches.claim(id, 2, 60_000),
      store.batches.claim(id, 2, 60_000),
    ]);
    const claimed = [...a!, ...b!].map((i) => i.index);
    expect(new Set(claimed).size).toBe(4);
    expect((await store.batches.get(id))?.status).toBe('running');
    // The remaining two, then nothing while the claims are fresh.
    expect((await store.batches.claim(id, 10, 60_000)).map((i) => i.index)).toEqual([4, 5]);
    expect(await store.batches.claim(id, 10, 60_000)).toEqual([]);
    // Worker "a" crashed: once its claims are older than staleAfterMs they are claimable again.
    await h.ageClaims(id, 120_000);
    const again = await store.batches.claim(id, 10, 60_000);
    expect(again.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(again.every((i) => i.attempts === 2 && i.status === 'running')).toBe(true);
    expect((await store.batches.unfinished()).map((x) => x.id)).toContain(id);
    for (const i of [0, 1, 2, 3, 4]) {
      expect(
        await store.batches.complete(id, i, { status: 'succeeded', result: { text: `r${i}` } }),
      ).toBe(true);
    }
    expect(await store.batches.complete(id, 5, { status: 'failed', error: { code: 'boom' } })).toBe(
      true,
    );
    expect(await store.batches.complete(id, 0, { status: 'failed', error: 'late duplicate' })).toBe(
      false,
    );
    expect(await store.batches.complete(id, 99, { status: 'succeeded' })).toBe(false);
    await expect(
      store.batches.complete(id, 1, { status: 'done' as unknown as 'succeeded' }),
    ).rejects.toThrow(/outcome\.status/);
    const done = await store.batches.get(id);
    expect(done).toMatchObject({ status: 'completed', succeeded: 5, failed: 1, total: 6 });
    const items = await store.batches.items(id);
    expect(items[0]).toMatchObject({ status: 'succeeded', result: { text: 'r0' }, error: null });
    expect(items[5]).toMatchObject({ status: 'failed', result: null, error: { code: 'boom' } });
    expect(await store.batches.claim(id, 10, 0)).toEqual([]);
    expect((await store.batches.unfinished()).map((x) => x.id)).not.toContain(id);
  });

  it('batches: a renewed claim is not taken over; an unrenewed one is; only running items renew', async () => {
    const { store, h } = get();
    const id = `b-${uid()}`;
    await store.batches.create({ id, user: null, total: 3, options: {} }, ['a', 'b', 'c']);
    expect((await store.batches.claim(id, 3, 60_000)).map((i) => i.index)).toEqual([0, 1, 2]);
    expect(await store.batches.complete(id, 2, { status: 'succeeded' })).toBe(true);
    // The worker is alive but its calls are slow: every claim is now old.
    await h.ageClaims(id, 120_000);
    // It renews item 0 (still running) and 2 (finished: nothing to renew), twice over.
    expect(await store.batches.renew(id, [0, 2, 0])).toBe(1);
    // Another worker takes over only item 1, whose claim was not renewed.
    const taken = await store.batches.claim(id, 10, 60_000);
    expect(taken.map((i) => [i.index, i.attempts])).toEqual([[1, 2]]);
    expect(await store.batches.renew('missing', [0])).toBe(0);
    expect(await store.batches.renew(id, [])).toBe(0);
    await expect(store.batches.renew(id, [-1])).rejects.toThrow(/index/);
  });

  it('batches: a claim limit of zero claims nothing; bad limits are named', async () => {
    const { store } = get();
    const id = `b-${uid()}`;
    await store.batches.create({ id, user: null, total: 1, options: {} }, ['x']);
    expect(await store.batches.claim(id, 0, 1000)).toEqual([]);
    await expect(store.batches.claim(id, -1, 1000)).rejects.toThrow(/limit/);
    await expect(store.batches.claim(id, 1, Number.NaN)).rejects.toThrow(/staleAfterMs/);
  });
}
