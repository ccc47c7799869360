import type { UsageRecord } from '@orchestrator/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHarness } from '../__tests__/harness.js';
import { post } from '../__tests__/http.js';

// One usage row per attempt, keyed by the gateway's request id (issue 5), for the calls that go to
// one model directly: /v1/embeddings and the model-method routes. Read back from the store.

let h: Harness;
let key: string;
const USER = 'metered-caller';

beforeAll(async () => {
  h = await startHarness();
  key = await h.key(USER);
  for (const model of [
    {
      name: 'painter',
      provider: 'openai',
      modelId: 'dall-e-3',
      settings: { capabilities: { features: ['image_generation'] } },
    },
    {
      name: 'listener',
      provider: 'openai',
      modelId: 'whisper-1',
      settings: { capabilities: { features: ['audio_transcription', 'audio_translation'] } },
    },
  ]) {
    const r = await post(h.url, '/api/models', ADMIN_KEY, model);
    expect(r.status, r.body).toBe(201);
  }
});
afterAll(() => h.close());

/** The rows written for one request id (the outbox is flushed first). */
async function rowsOf(requestId: string): Promise<UsageRecord[]> {
  await h.gateway.store.usage.flush();
  const rows = await h.gateway.store.usage.query({ user: USER, limit: 1_000 });
  return rows.filter((r) => r.requestId === requestId);
}

describe('usage rows of direct model calls', () => {
  const calls = [
    ['/v1/embeddings', { model: 'embedder', input: ['one', 'two'] }, 'embedder'],
    ['/api/models/embedding', { model: 'embedder', input: 'three' }, 'embedder'],
    ['/api/models/image', { model: 'painter', prompt: 'a red circle' }, 'painter'],
    [
      '/api/models/audio/transcription',
      { model: 'listener', audio: Buffer.from('RIFF fake wav').toString('base64') },
      'listener',
    ],
    [
      '/api/models/audio/translation',
      { model: 'listener', audio: Buffer.from('RIFF fake wav').toString('base64') },
      'listener',
    ],
    ['/api/models/completion', { model: 'gpt-4o-mini', prompt: 'Say hi' }, 'gpt-4o-mini'],
    [
      '/api/models/chat',
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      'gpt-4o-mini',
    ],
  ] as const;

  for (const [path, body, model] of calls) {
    it(`${path}: one success row keyed by the request id`, async () => {
      const r = await post(h.url, path, key, body);
      expect(r.status, r.body).toBe(200);
      const requestId = r.headers['x-request-id'] as string;
      const rows = await rowsOf(requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        requestId,
        attempt: 1,
        user: USER,
        model,
        provider: 'openai',
        outcome: 'success',
        errorCode: null,
        cached: false,
      });
      expect(rows[0]!.latencyMs).toBeGreaterThanOrEqual(0);
      if (path.includes('embedding')) expect(rows[0]!.inputTokens).toBeGreaterThan(0);
    });
  }

  it('a failed call writes one row too, with the failure', async () => {
    for (const [path, upstreamPath, body, model] of [
      ['/v1/embeddings', '/v1/embeddings', { model: 'embedder', input: 'x' }, 'embedder'],
      ['/api/models/image', '/v1/images/generations', { model: 'painter', prompt: 'p' }, 'painter'],
      [
        '/api/models/audio/transcription',
        '/v1/audio/transcriptions',
        { model: 'listener', audio: Buffer.from('x').toString('base64') },
        'listener',
      ],
      // Through the engine (a pinned model): the provider's refusal is that model's failed attempt.
      [
        '/api/models/completion',
        '/v1/chat/completions',
        { model: 'gpt-4o-mini', prompt: 'x' },
        'gpt-4o-mini',
      ],
    ] as const) {
      h.openai.enqueue({
        match: { path: upstreamPath },
        status: 400,
        errorType: 'invalid_request_error',
        errorMessage: 'scripted refusal',
      });
      const r = await post(h.url, path, key, body);
      expect(r.status, `${path}: ${r.body}`).toBe(400);
      const rows = await rowsOf(r.headers['x-request-id'] as string);
      expect(rows, path).toHaveLength(1);
      expect(rows[0], path).toMatchObject({
        attempt: 1,
        user: USER,
        model,
        provider: 'openai',
        outcome: 'error',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
      });
      expect(rows[0]!.errorCode, path).toMatch(/invalid_request/);
    }
    h.openai.clearScripts();
  });

  it('a request refused before any call (a capability the model lacks) writes no row', async () => {
    const r = await post(h.url, '/api/models/image', key, { model: 'embedder', prompt: 'x' });
    expect(r.status).toBe(400);
    expect(await rowsOf(r.headers['x-request-id'] as string)).toEqual([]);
  });
});
