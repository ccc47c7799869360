import { createMemoryStore } from '@orchestrator/postgres';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../__tests__/harness.js';
import { get, post, raw } from '../__tests__/http.js';

const streamBody = (content: string) => ({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content }],
});

describe('graceful shutdown', () => {
  it('drains an in-flight stream, then aborts what outlives the grace period; close() is bounded', async () => {
    const h = await startHarness({ server: { shutdownGraceMs: 1_500 } });
    const key = await h.key('zoe');
    h.openai.enqueue({ chunkDelayMs: 20, text: 'one two three four five' }, { hang: true });
    const seen = new Promise<void>((resolve) => {
      let n = 0;
      h.openai.events.on('request', () => {
        if (++n === 2) resolve();
      });
    });
    const draining = post(h.url, '/v1/chat/completions', key, streamBody('slow but finite'));
    const hanging = post(h.url, '/v1/chat/completions', key, streamBody('never answers')).catch(
      (e: unknown) => e,
    );
    await seen;
    const upstreamClosed = new Promise<void>((resolve) =>
      h.openai.events.once('client-closed', () => resolve()),
    );
    const t0 = Date.now();
    await h.close();
    expect(Date.now() - t0).toBeLessThan(4_000);
    const done = await draining;
    expect(done.status).toBe(200);
    expect(done.body).toContain('data: [DONE]');
    await hanging;
    await upstreamClosed;
  });
});

describe('startup', () => {
  it('warns loudly when auth is off and serves everyone as user local', async () => {
    const h = await startHarness({ auth: { enabled: false } });
    try {
      expect(h.logs.join('')).toContain('AUTHENTICATION IS OFF');
      const r = await post(h.url, '/v1/chat/completions', undefined, {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(r.status).toBe(200);
      expect((await h.store.usage.query({ user: 'local' })).length).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });

  it('answers CORS only for configured origins', async () => {
    const h = await startHarness({ server: { corsOrigins: ['https://app.example'] } });
    try {
      const key = await h.key('web');
      const ok = await get(h.url, '/v1/models', key, { origin: 'https://app.example' });
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
      const preflight = await raw(h.url, {
        method: 'OPTIONS',
        path: '/v1/chat/completions',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
      const other = await get(h.url, '/v1/models', key, { origin: 'https://evil.example' });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('resumes a batch left unfinished by a previous instance, without duplicates', async () => {
    const store = createMemoryStore();
    const request = {
      messages: [{ role: 'user', content: 'resume me' }],
      model: 'gpt-4o-mini',
      user: 'ivan',
    };
    await store.batches.create({ id: 'batch_left', user: 'ivan', total: 2, options: {} }, [
      request,
      request,
    ]);
    // The previous instance finished item 0 before stopping.
    await store.batches.claim('batch_left', 1, 60_000);
    await store.batches.complete('batch_left', 0, {
      status: 'succeeded',
      result: { content: 'done before' },
    });
    const h = await startHarness({}, { store });
    try {
      // Bounded by time, not by a count of turns, so a loaded machine cannot make it flaky.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        if ((await store.batches.get('batch_left'))?.status === 'completed') break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const items = await store.batches.items('batch_left');
      expect(items.map((i) => i.status)).toEqual(['succeeded', 'succeeded']);
      expect(items[0]?.result).toEqual({ content: 'done before' });
      expect(h.openai.requests.filter((r) => r.path.startsWith('/v1/chat')).length).toBe(1);
    } finally {
      await h.close();
    }
  });
});
