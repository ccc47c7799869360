import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGeminiServer } from './fake-gemini-server.js';

const KEY = 'AIzaSyFAKE-server-test-0000000000000';
let server: FakeGeminiServer;
beforeAll(async () => {
  server = new FakeGeminiServer({
    apiKey: KEY,
    profiles: { 'gemini-flaky': { rateLimitRate: 1 }, 'gemini-broken': { failureRate: 1 } },
  });
  await server.start();
});
afterAll(async () => {
  await server.close();
});

async function call(path: string, body?: unknown, key: string | null = KEY) {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { 'x-goog-api-key': key }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
}
const prompt = { contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }] };

describe('FakeGeminiServer', () => {
  it('answers generateContent in the GenerateContentResponse shape', async () => {
    server.enqueue({ text: 'Hi!', usage: { inputTokens: 3, outputTokens: 2 } });
    const { status, text } = await call('/v1beta/models/gemini-2.5-flash:generateContent', prompt);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      candidates: [
        { content: { parts: [{ text: 'Hi!' }], role: 'model' }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: 3,
        candidatesTokenCount: 2,
        totalTokenCount: 5,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 3 }],
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: expect.any(String),
    });
  });

  it('streams SSE events with CRLF and usage on the last event', async () => {
    server.enqueue({ text: 'one two' });
    const { status, type, text } = await call(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      prompt,
    );
    expect(status).toBe(200);
    expect(type).toBe('text/event-stream');
    const events = text.split('\r\n\r\n').filter(Boolean);
    expect(events).toHaveLength(2);
    const parsed = events.map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(parsed[0].candidates[0].content.parts).toEqual([{ text: 'one' }]);
    expect(parsed[0].usageMetadata).toBeUndefined();
    expect(parsed[1].candidates[0]).toMatchObject({
      content: { parts: [{ text: ' two' }] },
      finishReason: 'STOP',
    });
    expect(parsed[1].usageMetadata.totalTokenCount).toBeGreaterThan(0);
  });

  it('blocks a prompt with promptFeedback and no candidates', async () => {
    server.enqueue({ blockReason: 'SAFETY' });
    const body = JSON.parse(
      (await call('/v1beta/models/gemini-2.5-flash:generateContent', prompt)).text,
    );
    expect(body.candidates).toBeUndefined();
    expect(body.promptFeedback.blockReason).toBe('SAFETY');
  });

  it('checks the key: 403 without one, 400 API_KEY_INVALID for a wrong one, never echoing it', async () => {
    const missing = await call('/v1beta/models', undefined, null);
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text).error.status).toBe('PERMISSION_DENIED');
    const wrong = await call('/v1beta/models', undefined, 'AIzaSyWRONG-key');
    expect(wrong.status).toBe(400);
    const error = JSON.parse(wrong.text).error;
    expect(error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
    });
    expect(error.details[0]).toMatchObject({ reason: 'API_KEY_INVALID' });
    expect(wrong.text).not.toContain('AIzaSyWRONG');
    const byQuery = await fetch(`${server.url}/v1beta/models?key=${KEY}`);
    expect(byQuery.status).toBe(200);
  });

  it('answers scripted errors in Google shape, 429s with QuotaFailure and RetryInfo', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '5' } });
    const { status, text } = await call('/v1beta/models/gemini-2.5-flash:generateContent', prompt);
    expect(status).toBe(429);
    const error = JSON.parse(text).error;
    expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(error.details.map((d: { '@type': string }) => d['@type'].split('.').at(-1))).toEqual([
      'QuotaFailure',
      'Help',
      'RetryInfo',
    ]);
    expect(error.details[2].retryDelay).toBe('5s');
    server.enqueue({ status: 504 });
    expect(
      JSON.parse((await call('/v1beta/models/x:generateContent', prompt)).text).error.status,
    ).toBe('DEADLINE_EXCEEDED');
  });

  it('follows model profiles when nothing is scripted', async () => {
    const limited = await call('/v1beta/models/gemini-flaky:generateContent', prompt);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).error.details.at(-1).retryDelay).toBe('1s');
    expect((await call('/v1beta/models/gemini-broken:generateContent', prompt)).status).toBe(500);
  });

  it('rejects a request without contents', async () => {
    const { status, text } = await call('/v1beta/models/gemini-2.5-flash:generateContent', {
      contents: [],
    });
    expect(status).toBe(400);
    expect(JSON.parse(text).error.status).toBe('INVALID_ARGUMENT');
  });

  it('lists models page by page and gets one, 404 for an unknown one', async () => {
    const first = JSON.parse((await call('/v1beta/models?pageSize=3')).text);
    expect(first.models).toHaveLength(3);
    expect(first.models[0].name).toMatch(/^models\/gemini-/);
    const second = JSON.parse(
      (await call(`/v1beta/models?pageSize=3&pageToken=${first.nextPageToken}`)).text,
    );
    expect(second.models[0].name).not.toBe(first.models[0].name);
    const one = JSON.parse((await call('/v1beta/models/gemini-2.5-flash')).text);
    expect(one).toMatchObject({ name: 'models/gemini-2.5-flash', inputTokenLimit: 1_048_576 });
    const missing = await call('/v1beta/models/gemini-0');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error.status).toBe('NOT_FOUND');
  });

  it('embeds one content or a batch, deterministically', async () => {
    const single = JSON.parse(
      (
        await call('/v1beta/models/text-embedding-004:embedContent', {
          content: { parts: [{ text: 'a' }] },
        })
      ).text,
    );
    expect(single.embedding.values).toHaveLength(768);
    const batch = JSON.parse(
      (
        await call('/v1beta/models/gemini-embedding-001:batchEmbedContents', {
          requests: [
            {
              model: 'models/gemini-embedding-001',
              content: { parts: [{ text: 'a' }] },
              outputDimensionality: 8,
            },
            {
              model: 'models/gemini-embedding-001',
              content: { parts: [{ text: 'b' }] },
              outputDimensionality: 8,
            },
          ],
        })
      ).text,
    );
    expect(batch.embeddings.map((e: { values: number[] }) => e.values.length)).toEqual([8, 8]);
    const norm = Math.hypot(...batch.embeddings[0].values);
    expect(norm).toBeCloseTo(1, 4);
    const tooBig = await call('/v1beta/models/text-embedding-004:embedContent', {
      content: { parts: [{ text: 'a' }] },
      outputDimensionality: 1_000_000_000,
    });
    expect(tooBig.status).toBe(400);
  });

  it('counts tokens', async () => {
    const body = JSON.parse(
      (await call('/v1beta/models/gemini-2.5-flash:countTokens', prompt)).text,
    );
    expect(body.totalTokens).toBeGreaterThan(0);
  });

  it('in strict mode, answers 404 to generation on a model it does not list; serves v1 too', async () => {
    const strict = new FakeGeminiServer({ strictModels: true });
    await strict.start();
    try {
      const url = `${strict.url}/v1/models/gemini-0:generateContent`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(prompt),
      });
      expect(response.status).toBe(404);
      expect((await response.json()).error.message).toContain('models/gemini-0 is not found');
      const ok = await fetch(`${strict.url}/v1/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(prompt),
      });
      expect(ok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
