import { AuthenticationError, InvalidResponseError } from '@orchestrator/core';
import {
  FakeHuggingFaceServer,
  huggingFaceEmbeddingOf,
  huggingFaceLoadingScript,
} from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import {
  ask,
  collect,
  endpointModel,
  KEY,
  LLAMA,
  routerModel,
  textOf,
  useFakeServer,
} from './__tests__/hf-fixtures.js';
import { HuggingFaceModel } from './huggingface-model.js';

const fake = useFakeServer();
const MINILM = 'sentence-transformers/all-MiniLM-L6-v2';

describe('Inference Providers router', () => {
  it('auto routing posts to /v1/chat/completions with the Hub id', async () => {
    const response = await routerModel(fake.server).generate(ask('hi'));
    expect(fake.server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    expect(fake.server.lastRequest()!.body).toMatchObject({ model: LLAMA });
    expect(response.content).toContain('[simulated]');
  });

  it('keeps a router suffix (`:fastest`) in the model id and strips it for capabilities', async () => {
    const model = routerModel(fake.server, { model: `${LLAMA}:fastest` });
    await model.generate(ask('hi'));
    expect(fake.server.lastRequest()!.body).toMatchObject({ model: `${LLAMA}:fastest` });
    expect(model.supports('tool_calling')).toBe(true);
  });

  it('a named provider resolves its mapping on the Hub, then calls the provider route', async () => {
    const response = await routerModel(fake.server, {
      provider: 'together',
      model: 'Qwen/Qwen2.5-72B-Instruct',
    }).generate(ask('hi'));
    const paths = fake.server.requests.map((r) => r.path);
    expect(paths.at(-1)).toBe('/together/v1/chat/completions');
    expect(response.id).toMatch(/^chatcmpl-/);
    expect(response.model).toBe('Qwen/Qwen2.5-72B-Instruct');
  });

  it('hf-inference serves chat under /hf-inference/models/{id}/v1/chat/completions', async () => {
    await routerModel(fake.server, {
      provider: 'hf-inference',
      model: 'HuggingFaceH4/zephyr-7b-beta',
    }).generate(ask('hi'));
    expect(fake.server.lastRequest()!.path).toBe(
      '/hf-inference/models/HuggingFaceH4/zephyr-7b-beta/v1/chat/completions',
    );
  });

  it('auto routing without an HF token is an authentication error, before any request', async () => {
    const saved = [process.env.HF_TOKEN, process.env.HUGGINGFACE_API_KEY];
    delete process.env.HF_TOKEN;
    delete process.env.HUGGINGFACE_API_KEY;
    try {
      const model = new HuggingFaceModel({ model: LLAMA, baseURL: fake.server.url });
      await expect(model.generate(ask('hi'))).rejects.toBeInstanceOf(AuthenticationError);
      expect(fake.server.requests).toHaveLength(0);
    } finally {
      if (saved[0] !== undefined) process.env.HF_TOKEN = saved[0];
      if (saved[1] !== undefined) process.env.HUGGINGFACE_API_KEY = saved[1];
    }
  });

  it('streams through the router', async () => {
    // The Hub mapping lookup comes first; the script is for the provider call.
    fake.server.enqueue({ text: 'a b c', match: { path: '/novita/' } });
    const chunks = await collect(
      routerModel(fake.server, { provider: 'novita', model: 'deepseek-ai/DeepSeek-R1' }).stream(
        ask('hi'),
      ),
    );
    expect(textOf(chunks)).toBe('a b c');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(fake.server.lastRequest()!.path).toBe('/novita/v3/openai/chat/completions');
  });
});

describe('embeddings (feature extraction)', () => {
  it('embeds one text and a batch via hf-inference, vectors in input order', async () => {
    const model = routerModel(fake.server, { model: MINILM, provider: 'hf-inference' });
    expect(model.task).toBe('embeddings');
    const one = await model.embed({ input: 'hello' });
    expect(one.embeddings).toEqual([huggingFaceEmbeddingOf('hello', 384)]);
    const many = await model.embed({ input: ['a', 'b', 'c'] });
    expect(many.embeddings).toEqual(['a', 'b', 'c'].map((t) => huggingFaceEmbeddingOf(t, 384)));
    expect(fake.server.lastRequest()!.path).toBe(
      `/hf-inference/models/${MINILM}/pipeline/feature-extraction`,
    );
    expect(fake.server.lastRequest()!.body).toEqual({ inputs: ['a', 'b', 'c'] });
    expect(many.usage.inputTokens).toBeGreaterThan(0);
    expect(many.costUsd).toBeGreaterThan(0);
    expect(many.provider).toBe('huggingface');
  });

  it('resolves the provider on the Hub under auto routing', async () => {
    const model = routerModel(fake.server, { model: 'BAAI/bge-large-en-v1.5' });
    const out = await model.embed({ input: ['x'] });
    expect(out.embeddings).toHaveLength(1);
    expect(fake.server.lastRequest()!.path).toBe(
      '/hf-inference/models/BAAI/bge-large-en-v1.5/pipeline/feature-extraction',
    );
  });

  it('embeds on a dedicated endpoint (POST /) and passes dimensions', async () => {
    const model = endpointModel(fake.server, { model: MINILM });
    const out = await model.embed({ input: ['a', 'b'], dimensions: 64 });
    expect(fake.server.lastRequest()!.path).toBe('/');
    expect(fake.server.lastRequest()!.body).toEqual({ inputs: ['a', 'b'], dimensions: 64 });
    expect(out.embeddings.map((v) => v.length)).toEqual([64, 64]);
  });

  it('mean-pools token embeddings and rejects shapes that do not fit', async () => {
    const model = endpointModel(fake.server, { model: MINILM });
    fake.server.enqueue({
      status: 200,
      body: [
        [1, 2],
        [3, 4],
      ],
    });
    expect((await model.embed({ input: 'tokens' })).embeddings).toEqual([[2, 3]]);
    fake.server.enqueue({ status: 200, body: [[1, 2]] });
    await expect(model.embed({ input: ['a', 'b'] })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('an empty batch makes no request', async () => {
    const out = await endpointModel(fake.server, { model: MINILM }).embed({ input: [] });
    expect(out.embeddings).toEqual([]);
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('text generation (models without a chat template)', () => {
  const gpt2 = () => endpointModel(fake.server, { model: 'openai-community/gpt2' });

  it('sends a prompt to /v1/completions and reads usage and finish reason the SDK drops', async () => {
    fake.server.enqueue({
      text: ' and then some',
      usage: { inputTokens: 6, outputTokens: 4 },
      finishReason: 'length',
    });
    const response = await gpt2().generate({
      ...ask('Once upon a time'),
      maxTokens: 4,
      temperature: 0.7,
      topK: 50,
      seed: 3,
    });
    const sent = fake.server.lastRequest()!;
    expect(sent.path).toBe('/v1/completions');
    expect(sent.body).toEqual({
      model: 'openai-community/gpt2',
      max_tokens: 4,
      temperature: 0.7,
      top_k: 50,
      seed: 3,
      prompt: 'Once upon a time',
    });
    expect(response.content).toBe(' and then some');
    expect(response.finishReason).toBe('length');
    expect(response.usage).toMatchObject({ inputTokens: 6, outputTokens: 4 });
  });

  it('turns a conversation into a transcript and warns about tools', async () => {
    const response = await gpt2().generate({
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Bye' },
      ],
      tools: [{ name: 't', parameters: {} }],
    });
    expect((fake.server.lastRequest()!.body as { prompt: string }).prompt).toBe(
      'You are terse.\n\nUser: Hi\nAssistant: Hello.\nUser: Bye\nAssistant:',
    );
    expect(response.warnings).toContainEqual(
      expect.objectContaining({ type: 'unsupported-setting', setting: 'tools' }),
    );
  });

  it('streams completions with usage', async () => {
    fake.server.enqueue({ text: 'one two three', usage: { inputTokens: 2, outputTokens: 3 } });
    const chunks = await collect(gpt2().stream(ask('count')));
    expect(textOf(chunks)).toBe('one two three');
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 2, outputTokens: 3 },
    });
    expect(fake.server.lastRequest()!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

describe('TGI 2.x replies', () => {
  it('reads tool-call arguments sent as JSON objects', async () => {
    const old = new FakeHuggingFaceServer({ toolArgumentsAsObject: true });
    await old.start();
    try {
      old.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
      const model = new HuggingFaceModel({ model: LLAMA, endpointUrl: old.url, apiKey: KEY });
      const response = await model.generate({
        ...ask('weather'),
        tools: [{ name: 'get_weather', parameters: {} }],
      });
      expect(response.toolCalls).toEqual([
        { id: '0', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ]);
    } finally {
      await old.close();
    }
  });
});

describe('healthCheck', () => {
  it('asks a dedicated endpoint for /health, not for a generation', async () => {
    const result = await endpointModel(fake.server).healthCheck();
    expect(result.healthy).toBe(true);
    expect(fake.server.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/health']]);
    expect(fake.server.lastRequest()!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('reports a loading endpoint as unhealthy', async () => {
    fake.server.enqueue(huggingFaceLoadingScript(LLAMA, 30));
    const result = await endpointModel(fake.server).healthCheck();
    expect(result.healthy).toBe(false);
    expect(result.message).toContain('503');
  });

  it('checks the Hub provider mapping for router models', async () => {
    const ok = await routerModel(fake.server, { provider: 'together' }).healthCheck();
    expect(ok.healthy).toBe(true);
    expect(fake.server.lastRequest()!.path).toBe(`/api/models/${LLAMA}`);
    expect(fake.server.lastRequest()!.query.get('expand[]')).toBe('inferenceProviderMapping');
    const missing = await routerModel(fake.server, { provider: 'groq' }).healthCheck();
    expect(missing.healthy).toBe(false);
    expect(missing.message).toContain('groq');
    fake.server.enqueue({
      match: { path: '/api/models' },
      status: 401,
      errorMessage: `bad token ${KEY}`,
    });
    const denied = await routerModel(fake.server).healthCheck();
    expect(denied.healthy).toBe(false);
    expect(denied.message).toContain('401');
    expect(denied.message).not.toContain(KEY);
  });

  it('times out instead of hanging', async () => {
    fake.server.enqueue({ hang: true });
    const result = await endpointModel(fake.server, { timeoutMs: 50 }).healthCheck();
    expect(result.healthy).toBe(false);
    expect(result.message).toMatch(/timed out/);
  });
});
