import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHarness } from '../__tests__/harness.js';
import { get, post, raw } from '../__tests__/http.js';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = await h.key('mia');
});
afterAll(() => h.close());

describe('model management', () => {
  it('creates a model that is live at once and persisted, updates and deletes it', async () => {
    const created = await post(h.url, '/api/models', ADMIN_KEY, {
      name: 'mini-2',
      provider: 'openai',
      modelId: 'gpt-4o-mini',
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ live: true });
    expect(h.gateway.registry.has('mini-2')).toBe(true);
    expect((await h.store.models.get('mini-2'))?.modelId).toBe('gpt-4o-mini');
    const chat = await post(h.url, '/v1/chat/completions', key, {
      model: 'mini-2',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(200);

    const put = await raw(h.url, {
      method: 'PUT',
      path: '/api/models/mini-2',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { pricing: { inputPerMillion: 1, outputPerMillion: 2 } } }),
    });
    expect(put.status).toBe(200);
    expect(h.gateway.registry.get('mini-2').pricing.inputPerMillion).toBe(1);

    expect((await get(h.url, '/api/models/mini-2', key)).status).toBe(200);
    const del = await raw(h.url, {
      method: 'DELETE',
      path: '/api/models/mini-2',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(del.status).toBe(204);
    expect(h.gateway.registry.has('mini-2')).toBe(false);
    expect(
      (
        await post(h.url, '/v1/chat/completions', key, {
          model: 'mini-2',
          messages: [{ role: 'user', content: 'hi' }],
        })
      ).status,
    ).toBe(404);
  });

  it('accepts no base URL or key from a request (no SSRF) and needs the admin key', async () => {
    const ssrf = await post(h.url, '/api/models', ADMIN_KEY, {
      name: 'evil',
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      settings: { baseURL: 'http://169.254.169.254/' },
    });
    expect(ssrf.status).toBe(400);
    expect(ssrf.json<{ error: { param: string } }>().error.param).toBe('settings');
    const apiKey = await post(h.url, '/api/models', ADMIN_KEY, {
      name: 'evil',
      provider: 'openai',
      modelId: 'x',
      apiKey: 'sk-x',
    });
    expect(apiKey.status).toBe(400);
    expect(
      (await post(h.url, '/api/models', key, { name: 'x', provider: 'openai', modelId: 'x' }))
        .status,
    ).toBe(403);
  });

  it('calls a model method; a capability the model lacks is a clear 400', async () => {
    const chat = await post(h.url, '/api/models/chat', key, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(200);
    const completion = await post(h.url, '/api/models/completion', key, {
      model: 'claude-haiku',
      prompt: 'Complete this',
    });
    expect(completion.json<{ text: string }>().text.length).toBeGreaterThan(0);
    const emb = await post(h.url, '/api/models/embedding', key, { model: 'embedder', input: 'x' });
    expect(emb.json<{ embeddings: number[][] }>().embeddings).toHaveLength(1);
    const lacking = await post(h.url, '/api/models/image', key, {
      model: 'claude-haiku',
      prompt: 'a cat',
    });
    expect(lacking.status).toBe(400);
    expect(lacking.json()).toMatchObject({
      error: { code: 'unsupported_capability', param: 'model' },
    });
    const audio = await post(h.url, '/api/models/audio/transcription', key, {
      model: 'claude-haiku',
      audio: 'AAAA',
    });
    expect(audio.json<{ error: { code: string } }>().error.code).toBe('unsupported_capability');
  });
});

describe('metrics and docs', () => {
  it('exposes Prometheus metrics fed by the engine', async () => {
    await post(h.url, '/v1/chat/completions', key, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'metrics' }],
    });
    const m = await get(h.url, '/metrics', undefined);
    expect(m.status).toBe(200);
    expect(m.body).toMatch(
      /orchestrator_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="200"\} \d+/,
    );
    expect(m.body).toContain('orchestrator_http_request_duration_seconds_bucket');
    expect(m.body).toMatch(/orchestrator_tokens_total\{model="gpt-4o-mini",direction="output"\}/);
    expect(m.body).toMatch(/orchestrator_breaker_state\{model="gpt-4o-mini"\} 0/);
    expect(m.body).toContain('orchestrator_cache_misses_total');
  });

  it('serves the OpenAPI document and a self-contained reference page', async () => {
    const doc = (await get(h.url, '/openapi.json', undefined)).json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/chat/completions']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.paths)).toContain('/api/v1/orchestrator/batch/{id}/status');
    expect(doc.paths['/v1/messages/count_tokens']?.post?.requestBody).toBeDefined();
    for (const method of [
      'chat',
      'completion',
      'embedding',
      'image',
      'audio/transcription',
      'audio/translation',
    ]) {
      expect(doc.paths[`/api/models/${method}`]?.post?.requestBody, method).toBeDefined();
    }
    const page = await get(h.url, '/docs', undefined);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/v1/messages');
    expect(page.body).not.toMatch(/<script|<link|src=/);
  });
});
