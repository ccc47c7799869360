import { createRedisClient, whenRedisReady } from '@orchestrator/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';
import { post } from '../__tests__/http.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL)
  console.warn('[server] REDIS_URL is not set: skipping the shared-state (Redis) gateway tests');

describe.skipIf(!REDIS_URL)('two gateway instances sharing Redis', () => {
  const prefix = `orch-test-${process.pid}-${Math.random().toString(36).slice(2)}:`;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    const storage = { redisUrl: REDIS_URL!, redisKeyPrefix: prefix };
    a = await startHarness({ storage });
    b = await startHarness({ storage });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    // Remove what this file wrote (its keys all carry the random prefix).
    const client = createRedisClient(REDIS_URL!, {
      commandTimeoutMs: 2_000,
      connectTimeoutMs: 2_000,
    });
    await whenRedisReady(client, 2_000);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
    client.disconnect();
  });

  it('a response cached by one instance is a hit on the other, for the same user only', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `shared ${prefix}` }],
    };
    // Both instances have their own key stores, so each gets a key of the same user.
    const first = await post(a.url, '/v1/chat/completions', await a.key('shared-user'), body);
    expect(first.headers['x-orchestrator-cached']).toBe('false');
    const second = await post(b.url, '/v1/chat/completions', await b.key('shared-user'), body);
    expect(second.headers['x-orchestrator-cached']).toBe('true');
    const other = await post(b.url, '/v1/chat/completions', await b.key('someone-else'), body);
    expect(other.headers['x-orchestrator-cached']).toBe('false');
  });

  it('a per-user RPM limit holds across instances', async () => {
    const body = (i: number) => ({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `rpm ${i} ${prefix}` }],
    });
    const ka = await a.key('limited', { rpm: 2 });
    const kb = await b.key('limited', { rpm: 2 });
    const statuses = [
      (await post(a.url, '/v1/chat/completions', ka, body(1))).status,
      (await post(b.url, '/v1/chat/completions', kb, body(2))).status,
      (await post(a.url, '/v1/chat/completions', ka, body(3))).status,
    ];
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('shares the learned selector statistics', async () => {
    const body = {
      model: 'claude-haiku',
      messages: [{ role: 'user', content: `learn ${prefix}` }],
    };
    expect((await post(a.url, '/v1/chat/completions', await a.key('learner'), body)).status).toBe(
      200,
    );
    await a.gateway.syncSharedState();
    await b.gateway.syncSharedState();
    const arm = b.gateway.orchestrator.learner
      .exportState()
      .arms.find((x) => x.model === 'claude-haiku');
    expect(arm?.n ?? 0).toBeGreaterThan(0);
  });

  it('never lets concurrent requests spread over both instances spend past a budget', async () => {
    const limit = 0.0002;
    const ka = await a.key('frugal', { budgetUsd: limit, budgetPeriod: 'total' });
    const kb = await b.key('frugal', { budgetUsd: limit, budgetPeriod: 'total' });
    const body = (i: number) => ({
      model: 'gpt-4o-mini',
      max_tokens: 200,
      messages: [{ role: 'user', content: `budget ${i} ${prefix}` }],
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(i % 2 ? b.url : a.url, '/v1/chat/completions', i % 2 ? kb : ka, body(i)),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(402);
    const spent = [
      ...(await a.store.usage.query({ user: 'frugal' })),
      ...(await b.store.usage.query({ user: 'frugal' })),
    ].reduce((sum, r) => sum + r.costUsd, 0);
    expect(spent).toBeLessThanOrEqual(limit);
  });
});
