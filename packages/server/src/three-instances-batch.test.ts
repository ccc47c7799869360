import type { GatewayStore, SqlGatewayStore } from '@orchestrator/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post } from './__tests__/http.js';
import { startFleet } from './three-instances.harness.js';

// Batches on three gateway instances sharing ONE real Redis and ONE real PostgreSQL (issue 5;
// RELIABILITY.md "A crash mid-batch loses no accepted item and duplicates none"). CI sets both URLs.
const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;
const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;
if (REDIS_URL === undefined || DATABASE_URL === undefined)
  console.warn(
    '[server] REDIS_URL or DATABASE_URL not set: SKIPPING the three-instance batch tests (real Redis + PostgreSQL; CI sets both)',
  );

/** The upstream answers this model after a pause, so a batch outlasts one instance's first claims. */
const SLOW = { name: 'slow-batch', provider: 'openai', modelId: 'gpt-4.1-nano' } as const;
/** Answered after more than two leases: only renewed claims keep such an item from a second run. */
const SLOWER = { name: 'slower-batch', provider: 'openai', modelId: 'gpt-4.1-mini' } as const;
const LEASE_MS = 1_000;

interface Status {
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  results: { index: number; status: string; result: { content: string; cached: boolean } | null }[];
}

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A fleet whose instances' batch calls are watched, and which a test can cut off from the database. */
async function watchedFleet(pollIntervalMs: number) {
  /** `batchId:index` → the instance whose completion of the item counted. */
  const completedBy = new Map<string, string>();
  /** Instances cut off from the database, as a crashed process is. */
  const dead = new Set<string>();
  const state: {
    /** Armed: the first instance other than `spare` to claim items dies holding them. */
    killOnClaim?: { spare: string };
    killed?: { name: string; batch: string; held: number[] };
  } = {};

  /** A dead instance's batch calls all fail: it can neither renew its claims nor record an outcome. */
  const wrap = (store: SqlGatewayStore, name: string): GatewayStore => {
    const alive = () => {
      if (dead.has(name)) throw new Error(`instance ${name} is dead`);
    };
    const batches: GatewayStore['batches'] = {
      create: (batch, requests) => store.batches.create(batch, requests),
      get: (id) => store.batches.get(id),
      items: (id) => store.batches.items(id),
      async claim(id, limit, staleAfterMs) {
        alive();
        const items = await store.batches.claim(id, limit, staleAfterMs);
        const armed = state.killOnClaim;
        if (armed && armed.spare !== name && state.killed === undefined && items.length > 0) {
          // Dies right after the claim: these items are in flight and will never be completed here.
          dead.add(name);
          state.killed = { name, batch: id, held: items.map((i) => i.index) };
        }
        return items;
      },
      async renew(id, indices) {
        alive();
        return store.batches.renew(id, indices);
      },
      async complete(id, index, outcome) {
        alive();
        const done = await store.batches.complete(id, index, outcome);
        if (done) completedBy.set(`${id}:${index}`, name);
        return done;
      },
      async unfinished() {
        alive();
        return store.batches.unfinished();
      },
    };
    return {
      kind: store.kind,
      migrate: () => store.migrate(),
      close: () => store.close(),
      models: store.models,
      keys: store.keys,
      usage: store.usage,
      batches,
      feedback: store.feedback,
      preferences: store.preferences,
    };
  };

  const fleet = await startFleet({
    redisUrl: REDIS_URL!,
    databaseUrl: DATABASE_URL!,
    models: [SLOW, SLOWER],
    batches: { concurrency: 2, leaseMs: LEASE_MS, pollIntervalMs },
    wrapStore: wrap,
  });
  fleet.openai.enqueue({
    match: { model: SLOW.modelId },
    times: Number.POSITIVE_INFINITY,
    delayMs: 150,
  });
  fleet.openai.enqueue({
    match: { model: SLOWER.modelId },
    times: Number.POSITIVE_INFINITY,
    delayMs: 2_500,
  });

  const submit = async (key: string, prompts: readonly string[], model: string = SLOW.name) => {
    const r = await post(fleet.at(0).url, '/api/v1/orchestrator/batch/submit', key, {
      requests: prompts.map((content) => ({
        model,
        messages: [{ role: 'user', content }],
      })),
    });
    expect(r.status, r.body).toBe(202);
    return r.json<{ id: string }>().id;
  };
  const statusOn = async (name: string, id: string, key: string) => {
    const instance = fleet.instances.find((i) => i.name === name)!;
    const r = await get(instance.url, `/api/v1/orchestrator/batch/${id}/status`, key);
    expect(r.status, r.body).toBe(200);
    return r.json<Status>();
  };
  const upstreamCalls = (prompt: string) =>
    fleet.openai.requests.filter((r) => JSON.stringify(r.body).includes(prompt)).length;
  return { fleet, completedBy, state, submit, statusOn, upstreamCalls };
}

const skip = REDIS_URL === undefined || DATABASE_URL === undefined;

describe.skipIf(skip)('a batch submitted to one of three instances (Redis wake-up)', () => {
  let f: Awaited<ReturnType<typeof watchedFleet>>;
  // A poll a minute apart: an instance that joins sooner was woken through Redis.
  beforeAll(async () => {
    f = await watchedFleet(60_000);
  }, 30_000);
  afterAll(async () => {
    await f?.fleet.close();
  }, 30_000);

  it('is processed by all three instances together, each item reaching the upstream once', async () => {
    const key = await f.fleet.key('batch-shared');
    const prompts = Array.from({ length: 18 }, (_, i) => `shared item ${i} ${f.fleet.prefix}`);
    const id = await f.submit(key, prompts);
    const done = await until(
      'the batch to complete (seen from C)',
      () => f.statusOn('C', id, key),
      (s) => s.status === 'completed',
    );
    expect(done).toMatchObject({ total: 18, succeeded: 18, failed: 0 });
    const byInstance = new Map<string, number>();
    for (let i = 0; i < 18; i++) {
      const who = f.completedBy.get(`${id}:${i}`);
      expect(who, `item ${i}`).toBeDefined();
      byInstance.set(who!, (byInstance.get(who!) ?? 0) + 1);
    }
    // B and C took their share within the batch's ~1.4 s (one instance alone), long before their poll.
    expect([...byInstance.keys()].sort(), JSON.stringify([...byInstance])).toEqual(['A', 'B', 'C']);
    for (const prompt of prompts) expect(f.upstreamCalls(prompt), prompt).toBe(1);
    expect(await f.statusOn('A', id, key)).toEqual(done);
    expect(await f.statusOn('B', id, key)).toEqual(done);
  });
});

describe.skipIf(skip)('an instance that dies mid-batch', () => {
  let f: Awaited<ReturnType<typeof watchedFleet>>;
  beforeAll(async () => {
    f = await watchedFleet(200);
  }, 30_000);
  afterAll(async () => {
    await f?.fleet.close();
  }, 30_000);

  it('a live instance keeps items that outlast its lease (it renews its claims): none runs twice', async () => {
    const key = await f.fleet.key('batch-slow');
    const prompts = Array.from({ length: 4 }, (_, i) => `slow item ${i} ${f.fleet.prefix}`);
    const id = await f.submit(key, prompts, SLOWER.name);
    const done = await until(
      'the slow batch to complete',
      () => f.statusOn('B', id, key),
      (s) => s.status === 'completed',
    );
    expect(done).toMatchObject({ total: 4, succeeded: 4, failed: 0 });
    // 2.5 s per call against a 1 s lease, polled every 200 ms: without renewals every item would
    // have been claimed again and sent upstream a second time while its first call still ran.
    for (const [i, prompt] of prompts.entries()) {
      expect(f.upstreamCalls(prompt), `item ${i}`).toBe(1);
      expect(done.results[i]!.result?.cached).toBe(false);
    }
  }, 20_000);

  it('leaves its items to the other two once its lease lapses: all finish without a restart, nothing completed runs again', async () => {
    const key = await f.fleet.key('batch-crash');
    const prompts = Array.from({ length: 16 }, (_, i) => `crash item ${i} ${f.fleet.prefix}`);
    // The first of B and C to claim an item of the next batch dies holding what it claimed.
    f.state.killOnClaim = { spare: 'A' };
    const id = await f.submit(key, prompts);
    const killed = await until(
      'an instance to die holding items',
      async () => f.state.killed,
      (k) => k !== undefined,
    );
    expect(killed!.batch).toBe(id);
    expect(killed!.held.length).toBeGreaterThan(0);
    const survivors = ['A', 'B', 'C'].filter((n) => n !== killed!.name);

    const done = await until(
      `the survivors ${survivors.join(' and ')} to finish the batch`,
      () => f.statusOn(survivors[1]!, id, key),
      (s) => s.status === 'completed',
    );
    expect(done).toMatchObject({ total: 16, succeeded: 16, failed: 0 });
    expect(
      done.results.every((r) => r.status === 'succeeded' && /\S/.test(r.result?.content ?? '')),
    ).toBe(true);
    expect(await f.statusOn(survivors[0]!, id, key)).toEqual(done);
    // Every outcome was recorded by a survivor, the dead instance's items included.
    for (let i = 0; i < 16; i++)
      expect(survivors, `item ${i}`).toContain(f.completedBy.get(`${id}:${i}`));
    // Every item reached the upstream once. The dead instance's call for the items it held had finished
    // (only its outcome was never recorded) and filled the shared response cache, so the survivor that
    // re-ran each of those items was answered from the cache; nothing it had not started runs again.
    for (const [i, prompt] of prompts.entries()) {
      expect(f.upstreamCalls(prompt), `item ${i}`).toBe(1);
      const result = done.results[i]!.result;
      expect(result?.cached, `item ${i} cached`).toBe(killed!.held.includes(i));
    }
  });
});
