import {
  InvalidRequestError,
  InvalidResponseError,
  RateLimitError,
  UnsupportedFeatureError,
} from '@orchestrator/core';
import type { FakeGeminiServer } from '@orchestrator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelFor, startServer } from './__tests__/fixtures.js';

let server: FakeGeminiServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  server.clearScripts();
});
afterAll(async () => {
  await server.close();
});

describe('embed', () => {
  it('embeds a batch in one batchEmbedContents request, in input order', async () => {
    const model = modelFor(server, 'gemini-embedding-001');
    const response = await model.embed({
      input: ['first text', 'second text'],
      dimensions: 16,
      providerOptions: { google: { taskType: 'RETRIEVAL_DOCUMENT' } },
    });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(request.body).toEqual({
      requests: [
        {
          content: { role: 'user', parts: [{ text: 'first text' }] },
          taskType: 'RETRIEVAL_DOCUMENT',
          outputDimensionality: 16,
          model: 'models/gemini-embedding-001',
        },
        {
          content: { role: 'user', parts: [{ text: 'second text' }] },
          taskType: 'RETRIEVAL_DOCUMENT',
          outputDimensionality: 16,
          model: 'models/gemini-embedding-001',
        },
      ],
    });
    expect(response.provider).toBe('google');
    expect(response.model).toBe('gemini-embedding-001');
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings.every((v) => v.length === 16)).toBe(true);
    expect(response.embeddings[0]).not.toEqual(response.embeddings[1]);
    // Gemini reports no token usage for embeddings: the count is an estimate, priced at $0.15/M.
    expect(response.usage.inputTokens).toBe(6);
    expect(response.costUsd).toBeCloseTo((6 * 0.15) / 1e6, 12);

    const again = await model.embed({ input: 'second text', dimensions: 16 });
    expect(again.embeddings).toEqual([response.embeddings[1]]);
  });

  it('returns no vectors for no input without calling the API', async () => {
    const before = server.requests.length;
    const response = await modelFor(server, 'text-embedding-004').embed({ input: [] });
    expect(response.embeddings).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  it('classifies failures and validates provider options', async () => {
    server.enqueue({ status: 429, retryDelay: '2s' });
    await expect(modelFor(server, 'text-embedding-004').embed({ input: 'x' })).rejects.toSatisfy(
      (e) => RateLimitError.isInstance(e) && e.retryAfterMs === 2000,
    );
    await expect(
      modelFor(server, 'text-embedding-004').embed({
        input: 'x',
        providerOptions: { google: { taskType: 3 } },
      }),
    ).rejects.toSatisfy((e) => InvalidRequestError.isInstance(e));
  });

  it('a malformed embedding answer → InvalidResponseError', async () => {
    server.enqueue({ status: 200, body: { embeddings: [{ values: [0.1, 'x'] }] } });
    await expect(modelFor(server, 'text-embedding-004').embed({ input: 'x' })).rejects.toSatisfy(
      (e) => InvalidResponseError.isInstance(e),
    );
    server.enqueue({ status: 200, body: { embeddings: [{ values: [0.1] }] } });
    await expect(
      modelFor(server, 'text-embedding-004').embed({ input: ['x', 'y'] }),
    ).rejects.toSatisfy((e) => InvalidResponseError.isInstance(e));
  });

  it('a chat model does not embed', async () => {
    await expect(modelFor(server, 'gemini-2.5-flash').embed({ input: 'x' })).rejects.toSatisfy(
      (e) => UnsupportedFeatureError.isInstance(e),
    );
  });

  it('an embedding model does not chat', async () => {
    await expect(
      modelFor(server, 'gemini-embedding-001').generate({
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toSatisfy((e) => UnsupportedFeatureError.isInstance(e));
  });
});

describe('healthCheck', () => {
  it('is one cheap GET of the model, not a generation', async () => {
    const before = server.requests.length;
    const result = await modelFor(server, 'gemini-2.5-pro').healthCheck();
    expect(result.healthy).toBe(true);
    expect(result.latencyMs).toBeGreaterThan(0);
    const requests = server.requests.slice(before);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1beta/models/gemini-2.5-pro',
    ]);
  });

  it('reports an unknown model, an outage and a bad key as unhealthy', async () => {
    const unknown = await modelFor(server, 'gemini-0-nonexistent').healthCheck();
    expect(unknown.healthy).toBe(false);
    expect(unknown.message).toMatch(/not found/);

    server.enqueue({ status: 503, match: { path: '/v1beta/models/' } });
    expect((await modelFor(server).healthCheck()).healthy).toBe(false);

    const badKey = await modelFor(server, 'gemini-2.5-flash', {
      apiKey: 'AIzaSyWRONG-000000000000000000000000',
    }).healthCheck();
    expect(badKey).toMatchObject({ healthy: false });
    expect(badKey.message).toContain('API key not valid');
    expect(badKey.message).not.toContain('AIzaSyWRONG');
  });

  it('honours an abort signal', async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const arrived = server.nextRequest('/v1beta/models/');
    const check = modelFor(server).healthCheck(controller.signal);
    const { closed } = await arrived;
    controller.abort();
    expect(await check).toMatchObject({ healthy: false });
    expect(await closed).toEqual({ completed: false });
  });
});
