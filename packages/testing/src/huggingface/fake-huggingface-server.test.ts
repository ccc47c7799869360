import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeHuggingFaceServer } from './fake-huggingface-server.js';

// The adapter's suite drives this fake through the real SDK; these cover the
// routes the SDK does not call (TGI's native API) and the fake's own controls.
const server = new FakeHuggingFaceServer({
  servedModel: 'tgi/served',
  profiles: { flaky: { failureRate: 1 } },
});
beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clearScripts();
  server.stopLoading();
  server.loadingReplies = 0;
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data:'))
    .map((block) => JSON.parse(block.slice(5)));
}

describe('FakeHuggingFaceServer', () => {
  it('serves TGI /generate with details', async () => {
    server.enqueue({ text: 'Deep learning is…', usage: { outputTokens: 5 } });
    const res = await post('/generate', {
      inputs: 'What is deep learning?',
      parameters: { details: true, seed: 3 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      generated_text: 'Deep learning is…',
      details: {
        finish_reason: 'eos_token',
        generated_tokens: 5,
        seed: 3,
        prefill: [],
        tokens: [],
      },
    });
  });

  it('serves TGI /generate_stream: one token per event, the last with the text and details', async () => {
    server.enqueue({ text: 'a b c' });
    const res = await post('/generate_stream', { inputs: 'x', parameters: { max_new_tokens: 20 } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = sseData(await res.text()) as {
      token: { text: string };
      generated_text: string | null;
      details: unknown;
    }[];
    expect(events.map((e) => e.token.text)).toEqual(['a', ' b', ' c']);
    expect(events.at(-1)).toMatchObject({
      generated_text: 'a b c',
      details: { finish_reason: 'eos_token' },
    });
    expect(events[0]?.generated_text).toBeNull();
  });

  it('answers the endpoint root as the pipeline: a list of generations, or vectors', async () => {
    server.enqueue({ text: 'hi' });
    expect(await (await post('/', { inputs: 'x', parameters: {} })).json()).toEqual([
      { generated_text: 'hi' },
    ]);
    const vectors = (await (await post('/', { inputs: ['a', 'b'] })).json()) as number[][];
    expect(vectors.map((v) => v.length)).toEqual([384, 384]);
  });

  it('reports the served model on /info and health on /health', async () => {
    expect(await (await fetch(`${server.url}/info`)).json()).toMatchObject({
      model_id: 'tgi/served',
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('counts down the estimated load time and then serves', async () => {
    server.loadingFor(60_000);
    const res = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; estimated_time: number };
    expect(body.error).toBe('Model tgi/served is currently loading');
    expect(body.estimated_time).toBeGreaterThan(59);
    expect(body.estimated_time).toBeLessThanOrEqual(60);
    server.stopLoading();
    expect(
      (await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] })).status,
    ).toBe(200);
    expect(server.loadingReplies).toBe(1);
  });

  it('fails as the model profile says', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'flaky',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Simulated provider failure' });
  });

  it('answers third-party provider routes with OpenAI-shaped errors', async () => {
    server.enqueue({ status: 400, errorMessage: 'bad' });
    const res = await post('/together/v1/chat/completions', { model: 'm', messages: [] });
    expect(await res.json()).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', code: null },
    });
  });

  it('rejects a chat body without messages the way TGI does', async () => {
    const res = await post('/v1/chat/completions', { model: 'm' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toContain('missing field `messages`');
  });
});
