import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';
import { get, post } from '../__tests__/http.js';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = await h.key('olga');
});
afterAll(() => h.close());

const BASE = '/api/v1/orchestrator';
const body = (content: string, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('orchestrator API', () => {
  it('chat/route decides without calling anything', async () => {
    const before = h.openai.requests.length + h.anthropic.requests.length;
    const r = await post(
      h.url,
      `${BASE}/chat/route`,
      key,
      body('Hello, how are you today?', { strategy: 'cost_optimal' }),
    );
    expect(r.status).toBe(200);
    const { decision } = r.json<{
      decision: { model: string; strategy: string; taskType: string };
    }>();
    expect(decision.strategy).toBe('cost_optimal');
    expect(['gpt-4o-mini', 'claude-haiku']).toContain(decision.model);
    expect(h.openai.requests.length + h.anthropic.requests.length).toBe(before);
  });

  it('chat/execute answers with the record and its decision', async () => {
    const r = await post(
      h.url,
      `${BASE}/chat/execute`,
      key,
      body('Hello there', { model: 'gpt-4o-mini' }),
    );
    expect(r.status).toBe(200);
    const json = r.json<{
      requestId: string;
      response: { content: string; modelUsed: string; attempts: unknown[] };
    }>();
    expect(json.response.modelUsed).toBe('gpt-4o-mini');
    expect(json.response.content.length).toBeGreaterThan(0);
    expect(json.requestId).toBe(r.headers['x-request-id']);
  });

  it('chat/stream sends decision, chunks and a final record', async () => {
    const r = await post(
      h.url,
      `${BASE}/chat/stream`,
      key,
      body('Stream please', { model: 'gpt-4o-mini' }),
    );
    expect(r.headers['content-type']).toContain('text/event-stream');
    const events = [...r.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('decision');
    expect(events).toContain('chunk');
    expect(events.at(-1)).toBe('record');
  });

  it('errors in the documented shape with code, param and request id', async () => {
    const r = await post(h.url, `${BASE}/chat/execute`, key, body('x', { maxTokens: 'many' }));
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: expect.any(String),
        param: 'maxTokens',
        requestId: r.headers['x-request-id'],
      },
    });
  });

  it('runs a batch in the background and reports progress and results', async () => {
    const submit = await post(h.url, `${BASE}/batch/submit`, key, {
      requests: [
        body('one', { model: 'gpt-4o-mini' }),
        body('two', { model: 'claude-haiku' }),
        body('three', { model: 'gpt-4o-mini' }),
      ],
    });
    expect(submit.status).toBe(202);
    const { id } = submit.json<{ id: string }>();
    let status: { status: string; succeeded: number; results: { status: string }[] } | undefined;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      status = (await get(h.url, `${BASE}/batch/${id}/status`, key)).json();
      if (status?.status === 'completed') break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(status?.status).toBe('completed');
    expect(status?.succeeded).toBe(3);
    // Another user cannot see it.
    const other = await h.key('not-olga');
    expect((await get(h.url, `${BASE}/batch/${id}/status`, other)).status).toBe(404);
    const tooBig = await post(h.url, `${BASE}/batch/submit`, key, {
      requests: Array.from({ length: 101 }, () => body('x')),
    });
    expect(tooBig.json<{ error: { param: string } }>().error.param).toBe('requests');
  });

  it('analytics, health, capabilities, preferences and feedback', async () => {
    const exec = await post(
      h.url,
      `${BASE}/chat/execute`,
      key,
      body('feedback me', { model: 'gpt-4o-mini' }),
    );
    const requestId = exec.json<{ requestId: string }>().requestId;
    const fb = await post(h.url, `${BASE}/feedback`, key, { requestId, score: 0.9 });
    expect(fb.json()).toMatchObject({ recorded: true });
    expect(
      h.store.feedbackRecords().some((f) => f.requestId === requestId && f.user === 'olga'),
    ).toBe(true);
    const other = await h.key('mallory');
    expect((await post(h.url, `${BASE}/feedback`, other, { requestId, score: 0 })).status).toBe(
      404,
    );

    const user = (await get(h.url, `${BASE}/analytics/user`, key)).json<{
      user: string;
      requests: number;
    }>();
    expect(user.user).toBe('olga');
    const models = (await get(h.url, `${BASE}/analytics/models`, key)).json<{
      models: { model: string }[];
    }>();
    expect(models.models.map((m) => m.model)).toContain('gpt-4o-mini');
    const health = await get(h.url, `${BASE}/health`, undefined);
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', models: 3 });
    const caps = (await get(h.url, `${BASE}/models/capabilities`, key)).json<{
      models: { name: string }[];
    }>();
    expect(caps.models).toHaveLength(3);
    const prefs = await post(h.url, `${BASE}/preferences/update`, key, {
      strategy: 'cost_optimal',
    });
    expect(prefs.json()).toMatchObject({ user: 'olga', strategy: 'cost_optimal' });
    const routed = await post(h.url, `${BASE}/chat/route`, key, body('anything'));
    expect(routed.json<{ decision: { strategy: string } }>().decision.strategy).toBe(
      'cost_optimal',
    );
  });
});
