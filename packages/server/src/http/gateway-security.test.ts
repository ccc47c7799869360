import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  ANTHROPIC_KEY,
  type Harness,
  OPENAI_KEY,
  startHarness,
} from '../__tests__/harness.js';
import { get, post, raw } from '../__tests__/http.js';

let h: Harness;
let alice: string;
beforeAll(async () => {
  h = await startHarness({
    server: { bodyLimitBytes: 20_000, maxHeaderBytes: 4096 },
    auth: { adminKey: ADMIN_KEY, maxFailuresPerMinute: 5 },
    limits: { maxTokens: 1000, maxNestingDepth: 16 },
  });
  alice = await h.key('alice');
});
afterAll(() => h.close());

const chat = (content = 'hello', extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('limits and validation', () => {
  it('413 on a declared oversize body, before reading it', async () => {
    const r = await post(h.url, '/v1/chat/completions', alice, chat('x'.repeat(30_000)));
    expect(r.status).toBe(413);
    expect(r.json<{ error: { code: string } }>().error.code).toBe('request_too_large');
  });

  it('413 on a chunked body without Content-Length, decided while reading', async () => {
    const piece = Buffer.alloc(8_000, 'a');
    const r = await raw(h.url, {
      path: '/v1/chat/completions',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${alice}`,
        'transfer-encoding': 'chunked',
      },
      chunks: [
        Buffer.from('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"'),
        piece,
        piece,
        piece,
        Buffer.from('"}]}'),
      ],
    });
    expect(r.status).toBe(413);
  });

  it('431 on oversized headers', async () => {
    const r = await raw(h.url, {
      method: 'GET',
      path: '/v1/models',
      headers: { authorization: `Bearer ${alice}`, 'x-big': 'b'.repeat(8_000) },
    });
    expect(r.status).toBe(431);
  });

  it('400 naming the parameter for wrong types and out-of-range numbers', async () => {
    const wrongType = await post(
      h.url,
      '/v1/chat/completions',
      alice,
      chat('x', { temperature: 'hot' }),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.json<{ error: { param: string; type: string } }>().error).toMatchObject({
      param: 'temperature',
      type: 'invalid_request_error',
    });
    const tooMany = await post(
      h.url,
      '/v1/chat/completions',
      alice,
      chat('x', { max_tokens: 5000 }),
    );
    expect(tooMany.json<{ error: { param: string } }>().error.param).toBe('max_tokens');
    const badMsg = await post(h.url, '/v1/chat/completions', alice, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 5 }],
    });
    expect(badMsg.json<{ error: { param: string } }>().error.param).toBe('messages[0].content');
    const json = await post(h.url, '/v1/chat/completions', alice, '{"model":');
    expect(json.status).toBe(400);
    expect(json.json<{ error: { code: string } }>().error.code).toBe('invalid_json');
  });

  it('rejects nesting deeper than the limit', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const r = await post(h.url, '/v1/chat/completions', alice, chat('x', { metadata: deep }));
    expect(r.status).toBe(400);
    expect(r.json<{ error: { code: string } }>().error.code).toBe('nesting_too_deep');
  });

  it('a body nested far too deep for the parser is a 400, not a crash', async () => {
    const depth = 9_000;
    const r = await post(
      h.url,
      '/v1/chat/completions',
      alice,
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
    );
    expect(r.status).toBe(400);
    expect((await get(h.url, '/v1/models', alice)).status).toBe(200);
  });

  it('__proto__ and constructor keys change nothing', async () => {
    const body = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"proto"}],"__proto__":{"polluted":true,"model":"evil"},"constructor":{"prototype":{"polluted":true}}}`;
    const r = await post(h.url, '/v1/chat/completions', alice, body);
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.json<{ model: string }>().model).toBe('gpt-4o-mini');
  });

  it('unknown routes get 404 in the dialect of their prefix', async () => {
    const r = await get(h.url, '/v1/nothing', alice);
    expect(r.status).toBe(404);
    expect(r.json<{ error: { type: string } }>().error.type).toBe('not_found_error');
  });
});

describe('keys and identity', () => {
  it('creates keys through the admin API: shown once, stored hashed, ≥128 bits', async () => {
    const created = await post(h.url, '/api/admin/keys', ADMIN_KEY, {
      user: 'dave',
      allowedModels: ['gpt-4o-mini'],
    });
    expect(created.status).toBe(201);
    const { key, id } = created.json<{ key: string; id: string }>();
    expect(key).toMatch(/^orch_[A-Za-z0-9_-]{43}$/);
    const listed = await get(h.url, '/api/admin/keys?user=dave', ADMIN_KEY);
    expect(listed.body).not.toContain(key);
    expect(listed.body).not.toContain('hash');
    const stored = await h.store.keys.list('dave');
    expect(stored[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key);
    // A user key cannot use admin routes.
    expect((await post(h.url, '/api/admin/keys', key, { user: 'x' })).status).toBe(403);
    // Revocation takes effect.
    const revoke = await raw(h.url, {
      method: 'DELETE',
      path: `/api/admin/keys/${id}`,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(revoke.status).toBe(204);
    expect((await get(h.url, '/v1/models', key)).status).toBe(401);
  });

  it('403 for a model the key may not use, without listing other models; /v1/models shows only allowed ones', async () => {
    const key = await h.key('erin', { allowedModels: ['gpt-4o-mini'] });
    const r = await post(h.url, '/v1/chat/completions', key, { ...chat(), model: 'claude-haiku' });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('gpt-4o-mini');
    expect(r.json<{ error: { type: string } }>().error.type).toBe('permission_error');
    const models = (await get(h.url, '/v1/models', key))
      .json<{ data: { id: string }[] }>()
      .data.map((m) => m.id);
    expect(models).toEqual(['auto', 'gpt-4o-mini']);
    // `auto` never picks a model outside the allowlist.
    for (let i = 0; i < 3; i++) {
      const auto = await post(h.url, '/v1/chat/completions', key, {
        ...chat(`auto ${i}`),
        model: 'auto',
      });
      expect(auto.json<{ model: string }>().model).toBe('gpt-4o-mini');
    }
  });

  it('takes identity from the key only: a `user` field, metadata or X-Forwarded-For change nothing', async () => {
    const poor = await h.key('poor', { budgetUsd: 0 });
    const r = await post(
      h.url,
      '/v1/chat/completions',
      poor,
      chat('spend', { user: 'alice', metadata: { user: 'alice' } }),
      {
        'x-forwarded-for': '10.0.0.1',
      },
    );
    expect(r.status).toBe(402);
    expect(r.json<{ error: { code: string } }>().error.code).toBe('budget_exceeded');
    const rows = await h.store.usage.query({});
    expect(
      rows
        .filter((row) => row.requestId === r.headers['x-request-id'])
        .every((row) => row.user === 'poor'),
    ).toBe(true);
  });

  it('keeps cached answers apart between keys', async () => {
    const k1 = await h.key('tenant-1');
    const k2 = await h.key('tenant-2');
    const body = chat('the very same prompt for the cache');
    const first = await post(h.url, '/v1/chat/completions', k1, body);
    const again = await post(h.url, '/v1/chat/completions', k1, body);
    const other = await post(h.url, '/v1/chat/completions', k2, body);
    expect(first.headers['x-orchestrator-cached']).toBe('false');
    expect(again.headers['x-orchestrator-cached']).toBe('true');
    expect(other.headers['x-orchestrator-cached']).toBe('false');
  });
});

describe('secrets', () => {
  it('never logs client keys, upstream keys or keys in URLs', async () => {
    await get(h.url, '/v1/models?key=SECRETINURL123456', alice, {
      'x-api-key': alice,
      'api-key': alice,
    });
    await post(h.url, '/v1/chat/completions', alice, chat('log me not'));
    const text = h.logs.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(alice);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain(ANTHROPIC_KEY);
    expect(text).not.toContain('SECRETINURL123456');
    expect(text).toContain('[redacted]');
  });

  it('no CORS headers unless an origin is allowed', async () => {
    const r = await get(h.url, '/v1/models', alice, { origin: 'https://evil.example' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

// Last: it blocks this test process's address.
describe('failed authentication', () => {
  it('rate-limits failed authentications per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await get(h.url, '/v1/models', `orch_guess${i}`)).status);
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
    // The address is blocked for a while, whatever key it presents next.
    expect((await get(h.url, '/v1/models', alice)).status).toBe(429);
  });
});
