import { RATE_WINDOW_MS } from '@orchestrator/core';
import { RedisBudgetLedger, RedisCounterStore } from '@orchestrator/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post, type RawResponse } from './__tests__/http.js';
import { type Fleet, type Instance, startFleet } from './three-instances.harness.js';

// Three gateway instances on loopback sharing ONE real Redis and ONE real PostgreSQL
// (issue 5; RELIABILITY.md "Budgets, limits, isolation"). CI sets both URLs.
const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;
const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;
if (REDIS_URL === undefined || DATABASE_URL === undefined)
  console.warn(
    `[server] ${[REDIS_URL ? '' : 'REDIS_URL', DATABASE_URL ? '' : 'DATABASE_URL'].filter(Boolean).join(' and ')} not set: SKIPPING the three-instance gateway tests (real Redis + PostgreSQL; CI sets both)`,
  );

/** A model whose worst case is exactly $0.10 at `max_tokens: 100` (no input price, $1,000 per million output tokens). */
const METERED = {
  name: 'metered',
  provider: 'openai',
  modelId: 'gpt-4o',
  pricing: { inputPerMillion: 0, outputPerMillion: 1_000 },
} as const;

/** Calls `probe` until `done` holds; fails with the last value once `timeoutMs` has passed. */
async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const chat = (content: string) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
});

const countBy = (responses: readonly RawResponse[]) =>
  responses.reduce<Record<number, number>>((acc, r) => {
    acc[r.status] = (acc[r.status] ?? 0) + 1;
    return acc;
  }, {});

describe.skipIf(REDIS_URL === undefined || DATABASE_URL === undefined)(
  'three gateway instances sharing one Redis and one PostgreSQL',
  () => {
    let fleet: Fleet;
    /** Makes prompts unique to this run, so nothing is answered from another run's cache. */
    let tag: string;

    /**
     * Admissions the three instances granted because the shared counter did not answer in time
     * (limits fail open by default), summed from their /metrics. The tests run one at a time, so
     * the change across one test is that test's.
     */
    const failedOpenSoFar = async () => {
      let total = 0;
      for (const instance of fleet.instances) {
        const metrics = (await get(instance.url, '/metrics', undefined)).body;
        const m =
          /^orchestrator_degraded_decisions_total\{check="rate_limit",decision="admitted"\} (\d+)$/m.exec(
            metrics,
          );
        total += m ? Number(m[1]) : 0;
      }
      return total;
    };
    /** Requests counted in the shared one-minute RPM window of a user, read from Redis directly. */
    let windowCount: (user: string) => Promise<number>;

    beforeAll(async () => {
      fleet = await startFleet({
        redisUrl: REDIS_URL!,
        databaseUrl: DATABASE_URL!,
        models: [METERED],
      });
      tag = fleet.prefix;
      const counters = new RedisCounterStore({
        client: fleet.redis,
        keyPrefix: `${fleet.prefix}ctr:`,
        timeoutMs: 2_000,
      });
      windowCount = async (user) =>
        (await counters.peek(`rl:u:${encodeURIComponent(user)}:rpm`, RATE_WINDOW_MS)).count;
    }, 30_000);

    afterAll(async () => {
      await fleet?.close();
    }, 30_000);

    it('starts three instances on one schema and one key prefix', () => {
      expect(fleet.instances).toHaveLength(3);
      expect(new Set(fleet.instances.map((i) => i.url)).size).toBe(3);
      for (const i of fleet.instances) {
        expect(i.store.kind).toBe('postgres');
        expect(i.gateway.config.storage.redisKeyPrefix).toBe(fleet.prefix);
      }
    });

    it('holds a per-key RPM limit across the three instances: in order round-robin, the first 20 pass and the next 20 are refused', async () => {
      const user = 'rpm-sequential';
      const key = await fleet.key(user, { rpm: 20 });
      const failedOpenBefore = await failedOpenSoFar();
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push(
          (await post(fleet.at(i).url, '/v1/chat/completions', key, chat(`rpm-seq ${i} ${tag}`)))
            .status,
        );
      // No instance saw more than 7 of the first 20, so only the shared window can refuse the 21st.
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
      expect(await windowCount(user)).toBe(20);
      const late = statuses.slice(20).filter((s) => s !== 429);
      // A 200 past the 20th can only be a documented fail-open (the counter did not answer in time).
      expect(late.every((s) => s === 200)).toBe(true);
      const failedOpen = (await failedOpenSoFar()) - failedOpenBefore;
      expect(late.length, JSON.stringify(statuses)).toBeLessThanOrEqual(failedOpen);
    });

    it('holds a per-key RPM limit of 20 under 40 concurrent requests spread round-robin, each refusal with Retry-After', async () => {
      const user = 'rpm-concurrent';
      const key = await fleet.key(user, { rpm: 20 });
      const failedOpenBefore = await failedOpenSoFar();
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          post(fleet.at(i).url, '/v1/chat/completions', key, chat(`rpm-par ${i} ${tag}`)),
        ),
      );
      const counts = countBy(responses);
      const failedOpen = (await failedOpenSoFar()) - failedOpenBefore;
      const seen = `${JSON.stringify(counts)}, failed open: ${failedOpen}`;
      expect(Object.keys(counts).sort(), seen).toEqual(['200', '429']);
      // The shared window admitted exactly 20 of the 40, whichever instance they reached.
      expect(await windowCount(user), seen).toBe(20);
      const admitted = counts[200] ?? 0;
      expect(admitted, seen).toBeGreaterThanOrEqual(20);
      // Anything past 20 was admitted by an instance whose counter call timed out (limits fail open
      // by default: `limits.failMode`); the counter itself never let a 21st through.
      expect(admitted - failedOpen, seen).toBeLessThanOrEqual(20);
      for (const r of responses.filter((x) => x.status === 429)) {
        expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
        expect(r.json<{ error: { code: string } }>().error.code).toBe('rate_limit_exceeded');
      }
    });

    it('never spends past a $1 budget under 50 concurrent $0.10-worst-case requests spread over the three', async () => {
      const user = 'budgeted';
      const key = await fleet.key(user, { budgetUsd: 1, budgetPeriod: 'total' });
      // Every answer bills its whole allowance: the actual cost equals the $0.10 reserved.
      fleet.openai.enqueue({
        match: { model: METERED.modelId },
        times: Number.POSITIVE_INFINITY,
        usage: { inputTokens: 7, outputTokens: 100 },
      });
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(fleet.at(i).url, '/v1/chat/completions', key, {
            model: METERED.name,
            max_tokens: 100,
            messages: [{ role: 'user', content: `budget ${i} ${tag}` }],
          }),
        ),
      );
      fleet.openai.clearScripts();
      const counts = countBy(responses);
      const seen = JSON.stringify(counts);
      const admitted = counts[200] ?? 0;
      expect(admitted, seen).toBeGreaterThan(0);
      expect(admitted, seen).toBeLessThanOrEqual(10);
      // The rest were refused by the budget (402), or by a ledger that failed closed (503).
      for (const r of responses.filter((x) => x.status !== 200)) {
        const code = r.json<{ error: { code: string } }>().error.code;
        expect([402, 503], `status ${r.status} ${code}`).toContain(r.status);
        expect(code).toBe(r.status === 402 ? 'budget_exceeded' : 'budget_unavailable');
      }
      for (const r of responses.filter((x) => x.status === 200))
        expect(r.json<{ usage: { completion_tokens: number } }>().usage.completion_tokens).toBe(
          100,
        );

      // The shared ledger, read directly: once the admitted calls are committed, spend is theirs and within $1.
      const ledger = new RedisBudgetLedger({
        client: fleet.redis,
        keyPrefix: `${fleet.prefix}budget:`,
        timeoutMs: 2_000,
      });
      const usage = await until(
        'the admitted calls to be committed to the shared ledger',
        () => ledger.usage(`user:${user}`, 'total'),
        (u) => u.spentUsd >= admitted * 0.1 - 1e-9,
      );
      expect(usage.spentUsd).toBeCloseTo(admitted * 0.1, 9);
      // Still held: only reservations whose answer came too late for their request (refused, 503).
      expect(usage.spentUsd + usage.reservedUsd).toBeLessThanOrEqual(1 + 1e-9);

      // A third view: the usage rows every instance wrote to the shared database.
      const succeeded = await until(
        'the usage rows of the admitted calls',
        async () => {
          await Promise.all(fleet.instances.map((i) => i.store.usage.flush()));
          const rows = await fleet.instances[2]!.store.usage.query({ user, limit: 1_000 });
          return rows.filter((r) => r.outcome === 'success');
        },
        (rows) => rows.length >= admitted,
      );
      expect(succeeded).toHaveLength(admitted);
      expect(succeeded.reduce((sum, r) => sum + r.costUsd, 0)).toBeLessThanOrEqual(1);

      // And instance C reports the same shared spend through the API.
      // (Polled: when its ledger read times out under load the route still answers 200, with the
      // budget figure null and marked unavailable.)
      const analytics = await until(
        'analytics from instance C',
        () => get(fleet.at(2).url, '/api/v1/orchestrator/analytics/user', key),
        (r) => {
          expect(r.status, r.body).toBe(200);
          return r.json<{ budget: unknown }>().budget !== null;
        },
      );
      const budget = analytics.json<{ budget: { spentUsd: number; limitUsd: number } }>().budget;
      expect(budget.limitUsd).toBe(1);
      expect(budget.spentUsd).toBeCloseTo(usage.spentUsd, 9);
    });

    it('processes a batch submitted to one instance and shows its status and results on the other two', async () => {
      const key = await fleet.key('batcher');
      const prompts = [0, 1, 2].map((i) => `batch item ${i} ${tag}`);
      const submit = await post(fleet.at(0).url, '/api/v1/orchestrator/batch/submit', key, {
        requests: prompts.map((content) => ({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content }],
        })),
      });
      expect(submit.status).toBe(202);
      const { id, total } = submit.json<{ id: string; total: number }>();
      expect(total).toBe(3);

      interface Status {
        id: string;
        status: string;
        total: number;
        succeeded: number;
        failed: number;
        progress: number;
        results: { index: number; status: string; result: { content: string } | null }[];
      }
      const statusOn = async (n: number) => {
        const r = await get(fleet.at(n).url, `/api/v1/orchestrator/batch/${id}/status`, key);
        expect(r.status, r.body).toBe(200);
        return r.json<Status>();
      };
      // Instance B sees it through to the end...
      const onB = await until(
        'the batch to complete (seen from B)',
        () => statusOn(1),
        (s) => s.status === 'completed',
      );
      expect(onB).toMatchObject({ id, total: 3, succeeded: 3, failed: 0, progress: 1 });
      expect(onB.results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      for (const r of onB.results) expect(r.result?.content).toMatch(/\S/);
      // ...and C and A report the very same results.
      expect(await statusOn(2)).toEqual(onB);
      expect(await statusOn(0)).toEqual(onB);
      // Each item reached the upstream exactly once.
      for (const content of prompts)
        expect(
          fleet.openai.requests.filter((r) => JSON.stringify(r.body).includes(content)),
        ).toHaveLength(1);
    });

    it('answers from the shared cache on the other instances what one instance cached', async () => {
      const key = await fleet.key('cache-user');
      const prompt = `cache me ${tag}`;
      const upstreamCalls = () =>
        fleet.openai.requests.filter((r) => JSON.stringify(r.body).includes(prompt)).length;

      const first = await post(fleet.at(0).url, '/v1/chat/completions', key, chat(prompt));
      expect(first.status).toBe(200);
      expect(first.headers['x-orchestrator-cached']).toBe('false');
      expect(upstreamCalls()).toBe(1);
      for (const n of [1, 2]) {
        const hit = await post(fleet.at(n).url, '/v1/chat/completions', key, chat(prompt));
        expect(hit.status).toBe(200);
        expect(hit.headers['x-orchestrator-cached']).toBe('true');
        expect(hit.json<{ choices: { message: { content: string } }[] }>().choices).toEqual(
          first.json<{ choices: { message: { content: string } }[] }>().choices,
        );
      }
      // B and C never called the upstream.
      expect(upstreamCalls()).toBe(1);
    });

    it('shares the learned selector statistics: outcomes on A show up on B and C after a sync', async () => {
      const key = await fleet.key('learner');
      const [a, b, c] = fleet.instances as [Instance, Instance, Instance];
      const models = ['gpt-4o-mini', 'claude-haiku', METERED.name];
      const armN = (i: Instance, model: string) =>
        i.gateway.orchestrator.learner.exportState().arms.find((x) => x.model === model)?.n ?? 0;
      const fleetN = async () => {
        const totals = await fleet.redis.hgetall(`${fleet.prefix}ucb:default:totals`);
        return new Map(models.map((m) => [m, Number(totals[`n:${m}`] ?? 0)]));
      };
      // Settle first: every instance has pushed what the earlier tests taught it and holds the
      // fleet totals, so all that changes next is what A learns.
      const before = await until(
        'the fleet statistics to settle',
        async () => {
          for (const i of fleet.instances) await i.gateway.syncSharedState();
          for (const i of fleet.instances) await i.gateway.syncSharedState();
          const totals = await fleetN();
          const settled = fleet.instances.every((i) =>
            models.every((m) => armN(i, m) === totals.get(m)),
          );
          return { totals, settled };
        },
        (x) => x.settled,
      ).then((x) => x.totals);

      const used = new Map<string, number>();
      for (let i = 0; i < 4; i++) {
        const r = await post(a.url, '/api/v1/orchestrator/chat/execute', key, {
          model: 'auto',
          strategy: 'learned',
          messages: [{ role: 'user', content: `learn ${i} ${tag}` }],
          maxTokens: 50,
        });
        expect(r.status, r.body).toBe(200);
        const body = r.json<{
          response: { modelUsed: string };
          decision: { strategy: string } | null;
        }>();
        expect(body.decision?.strategy).toBe('learned');
        used.set(body.response.modelUsed, (used.get(body.response.modelUsed) ?? 0) + 1);
      }
      const expected = new Map(models.map((m) => [m, (before.get(m) ?? 0) + (used.get(m) ?? 0)]));
      // A learned them locally...
      await until(
        'instance A to learn its own outcomes',
        async () => models.map((m) => armN(a, m)),
        (ns) => ns.every((n, j) => n === expected.get(models[j]!)),
      );

      // ...and B and C, which had no traffic of their own, get exactly them through Redis.
      for (const instance of [b, c])
        await until(
          `instance ${instance.name} to import A's outcomes ${JSON.stringify([...used])}`,
          async () => {
            await a.gateway.syncSharedState();
            await instance.gateway.syncSharedState();
            return models.map((m) => armN(instance, m));
          },
          (ns) => ns.every((n, j) => n === expected.get(models[j]!)),
        );
      expect(await fleetN()).toEqual(expected);
    });
  },
);
