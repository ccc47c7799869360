import type { ChatRequest } from '@orchestrator/core';
import { InvalidRequestError } from '@orchestrator/core';
import type { FakeOllamaServer } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, lastBody, startFakeOllama, textOf } from './__tests__/helpers.js';
import { createOllamaModel, OllamaModel } from './index.js';

let server: FakeOllamaServer;
beforeAll(async () => {
  server = await startFakeOllama({
    models: ['llama3.2', 'llama3.1', 'qwen3', 'llava', 'nomic-embed-text'],
  });
});
afterAll(() => server.close());

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

describe('OllamaModel.generate', () => {
  it('maps a plain answer: content, finish reason, usage, zero cost, latency', async () => {
    server.enqueue({
      match: { path: '/api/chat' },
      text: 'Hello there!',
      usage: { inputTokens: 12, outputTokens: 4 },
    });
    const model = new OllamaModel('llama3.2', { host: server.url });
    const response = await model.generate(hello);
    expect(response).toMatchObject({
      model: 'llama3.2',
      provider: 'ollama',
      content: 'Hello there!',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 },
      costUsd: 0,
      warnings: [],
    });
    expect(response.usage.raw).toMatchObject({ prompt_eval_count: 12, eval_count: 4 });
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(lastBody(server, '/api/chat')).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: false,
    });
  });

  it('prices usage when the model has a price (a paid GPU server, say)', async () => {
    const script = {
      match: { path: '/api/chat' },
      text: 'ok',
      usage: { inputTokens: 1_000, outputTokens: 500 },
    };
    server.enqueue(script, script);
    const pricing = { inputPerMillion: 1, outputPerMillion: 2 };
    const model = new OllamaModel('llama3.2', { host: server.url, pricing });
    expect((await model.generate(hello)).costUsd).toBeCloseTo(0.002, 9);
    expect((await collect(model.stream(hello))).at(-1)).toMatchObject({
      type: 'finish',
      costUsd: 0.002,
    });
  });

  it('sends the system prompt first, then the turns in order', async () => {
    const model = createOllamaModel('llama3.2', { host: server.url });
    await model.generate({
      system: 'Be brief.',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'How are you?' },
            { type: 'text', text: 'Really?' },
          ],
        },
      ],
    });
    expect(lastBody(server, '/api/chat').messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Answer in English.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'How are you?\nReally?' },
    ]);
  });

  it('maps sampling options to Ollama options, with settings defaults and provider options', async () => {
    const model = new OllamaModel('llama3.2', {
      host: server.url,
      numCtx: 16_384,
      keepAlive: '10m',
    });
    const response = await model.generate({
      ...hello,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stop: ['\n\n'],
      maxTokens: 200,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      providerOptions: {
        ollama: {
          think: false,
          keep_alive: -1,
          options: { repeat_penalty: 1.1, min_p: 0.05 },
          bogus: 1,
        },
      },
    });
    const body = lastBody(server, '/api/chat');
    expect(body.options).toEqual({
      num_ctx: 16_384,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop: ['\n\n'],
      num_predict: 200,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      repeat_penalty: 1.1,
      min_p: 0.05,
    });
    expect(body.keep_alive).toBe(-1);
    expect(body.think).toBe(false);
    expect(response.warnings).toEqual([
      expect.objectContaining({
        type: 'unsupported-setting',
        setting: 'providerOptions.ollama.bogus',
      }),
    ]);
    expect(model.capabilities.contextWindow).toBe(16_384);
  });

  it('rejects provider options of the wrong type, naming them', async () => {
    const model = new OllamaModel('llama3.2', { host: server.url });
    const before = server.requests.length;
    for (const ollama of [
      { keep_alive: 'forever' },
      { think: 'max' },
      { options: { num_ctx: '8k' } },
      { truncate: 1 },
    ]) {
      const error = await model
        .generate({ ...hello, providerOptions: { ollama } })
        .catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(
        `providerOptions.ollama.${Object.keys(ollama)[0]}`,
      );
    }
    expect(server.requests.length).toBe(before);
  });

  it('reports a cut answer as length when num_predict runs out', async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: 'one two three four five six' });
    const model = new OllamaModel('llama3.2', { host: server.url });
    const response = await model.generate({ ...hello, maxTokens: 3 });
    expect(response.content).toBe('one two three');
    expect(response.finishReason).toBe('length');
    expect(response.rawFinishReason).toBe('length');
  });

  it('keeps thinking out of the content', async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: 'It is 4.', thinking: 'two plus two' });
    const model = new OllamaModel('qwen3', { host: server.url });
    const response = await model.generate({
      ...hello,
      providerOptions: { ollama: { think: true } },
    });
    expect(response.content).toBe('It is 4.');
    expect(lastBody(server, '/api/chat').think).toBe(true);
  });
});

describe('OllamaModel.stream', () => {
  it('streams text deltas then one finish with usage', async () => {
    server.enqueue({
      match: { path: '/api/chat' },
      text: 'Streaming works fine',
      usage: { inputTokens: 9, outputTokens: 3 },
    });
    const model = new OllamaModel('llama3.2', { host: server.url });
    const chunks = await collect(model.stream(hello));
    expect(textOf(chunks)).toBe('Streaming works fine');
    expect(chunks.filter((c) => c.type === 'text-delta').length).toBe(3);
    expect(chunks.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: expect.objectContaining({ inputTokens: 9, outputTokens: 3, totalTokens: 12 }),
      costUsd: 0,
      warnings: [],
      model: 'llama3.2',
    });
    expect(chunks.filter((c) => c.type === 'finish' || c.type === 'error').length).toBe(1);
    expect(lastBody(server, '/api/chat').stream).toBe(true);
  });

  it('ignores keep-alive blank lines between messages', async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: 'still fine', keepAlive: true });
    const model = new OllamaModel('llama3.2', { host: server.url });
    const chunks = await collect(model.stream(hello));
    expect(textOf(chunks)).toBe('still fine');
    expect(chunks.at(-1)?.type).toBe('finish');
  });
});

describe('tools', () => {
  const weather: ChatRequest = {
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [
      {
        name: 'get_weather',
        description: 'Current weather',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
      },
      { name: 'get_time', parameters: { type: 'object', properties: {} } },
    ],
  };

  it('sends tools as functions and maps tool calls with synthesized, stable ids', async () => {
    const script = {
      match: { path: '/api/chat' },
      text: '',
      toolCalls: [
        { name: 'get_weather', arguments: '{"city":"Paris"}' },
        { name: 'get_time', arguments: '{}' },
      ],
    };
    server.enqueue(script, script);
    const model = new OllamaModel('llama3.1', { host: server.url });
    const response = await model.generate(weather);
    expect(lastBody(server, '/api/chat').tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      },
      {
        type: 'function',
        function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
      },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('stop');
    expect(response.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', {}],
    ]);
    const [first, second] = response.toolCalls;
    expect(first!.id).toMatch(/^call_0_/);
    expect(second!.id).toMatch(/^call_1_/);

    const chunks = await collect(model.stream(weather));
    const deltas = chunks.filter((c) => c.type === 'tool-call-delta');
    expect(deltas.map((d) => [d.index, d.id, d.name, d.argumentsDelta])).toEqual(
      response.toolCalls.map((c, i) => [i, c.id, c.name, c.arguments]),
    );
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('sends tool calls back with object arguments and tool results with the tool name', async () => {
    const model = new OllamaModel('llama3.1', { host: server.url });
    await model.generate({
      ...weather,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_0_x', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'call_0_x', content: '{"temp":21}' },
      ],
    });
    expect(lastBody(server, '/api/chat').messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
      },
      { role: 'tool', content: '{"temp":21}', tool_name: 'get_weather' },
    ]);
  });

  it('turns tool choices Ollama cannot honour into warnings', async () => {
    const model = new OllamaModel('llama3.1', { host: server.url });
    const none = await model.generate({ ...weather, toolChoice: 'none' });
    expect(lastBody(server, '/api/chat').tools).toBeUndefined();
    expect(none.warnings).toEqual([]);

    const required = await model.generate({ ...weather, toolChoice: 'required' });
    expect(required.warnings).toEqual([expect.objectContaining({ setting: 'toolChoice' })]);
    expect((lastBody(server, '/api/chat').tools as unknown[]).length).toBe(2);

    const named = await model.generate({
      ...weather,
      toolChoice: { type: 'tool', name: 'get_time' },
    });
    expect(named.warnings).toEqual([expect.objectContaining({ setting: 'toolChoice' })]);
    expect(lastBody(server, '/api/chat').tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
      },
    ]);
  });

  it('rejects tool-call arguments that are not a JSON object', async () => {
    const model = new OllamaModel('llama3.1', { host: server.url });
    const error = await model
      .generate({
        messages: [
          {
            role: 'assistant',
            content: null,
            toolCalls: [{ id: 'a', name: 'f', arguments: '{oops' }],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('messages[0].toolCalls[0].arguments');
  });
});

describe('JSON output', () => {
  it('asks for JSON with format "json"', async () => {
    const model = new OllamaModel('llama3.2', { host: server.url });
    const response = await model.generate({ ...hello, responseFormat: { type: 'json' } });
    expect(lastBody(server, '/api/chat').format).toBe('json');
    expect(JSON.parse(response.content)).toHaveProperty('answer');
  });

  it('passes a JSON schema as format and gets a conforming object', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'age'],
    };
    const model = new OllamaModel('llama3.2', { host: server.url });
    const response = await model.generate({
      ...hello,
      responseFormat: { type: 'json_schema', name: 'person', schema },
    });
    expect(lastBody(server, '/api/chat').format).toEqual(schema);
    const parsed = JSON.parse(response.content) as Record<string, unknown>;
    expect(typeof parsed.name).toBe('string');
    expect(Number.isInteger(parsed.age)).toBe(true);
    expect(Array.isArray(parsed.tags)).toBe(true);
  });
});

describe('images', () => {
  const pixel =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

  it('sends inline and data-URL images as base64 and warns about remote URLs', async () => {
    const model = new OllamaModel('llava', { host: server.url });
    const response = await model.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: pixel, mediaType: 'image/png' },
            { type: 'image', url: `data:image/png;base64,${pixel}` },
            { type: 'image', url: 'https://example.com/cat.png' },
          ],
        },
      ],
    });
    expect(lastBody(server, '/api/chat').messages).toEqual([
      { role: 'user', content: 'What is this?', images: [pixel, pixel] },
    ]);
    expect(response.warnings).toEqual([
      expect.objectContaining({ setting: 'messages[0].content[3].url' }),
    ]);
  });

  it('never lets the SDK read a local file named by image data', async () => {
    // The SDK reads a string image that names an existing file; '/etc//passwd' is valid base64.
    const model = new OllamaModel('llava', { host: server.url });
    await model.generate({
      messages: [{ role: 'user', content: [{ type: 'image', data: '/etc//passwd' }] }],
    });
    const images = (lastBody(server, '/api/chat').messages as { images: string[] }[])[0]!.images;
    expect(images).toEqual(['/etc//passwd']);
  });

  it('rejects image data that is not base64', async () => {
    const model = new OllamaModel('llava', { host: server.url });
    const error = await model
      .generate({ messages: [{ role: 'user', content: [{ type: 'image', data: 'not base64!' }] }] })
      .catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
  });
});

describe('OllamaModel.embed', () => {
  it('embeds one or many inputs through /api/embed', async () => {
    const model = new OllamaModel('nomic-embed-text', { host: server.url });
    const one = await model.embed({ input: 'hello' });
    expect(one.embeddings).toHaveLength(1);
    expect(one.embeddings[0]).toHaveLength(768);
    expect(one.usage.inputTokens).toBeGreaterThan(0);
    expect(one.costUsd).toBe(0);
    expect(lastBody(server, '/api/embed')).toEqual({ model: 'nomic-embed-text', input: 'hello' });

    const many = await model.embed({
      input: ['a', 'b', 'c'],
      dimensions: 256,
      providerOptions: { ollama: { truncate: false } },
    });
    expect(many.embeddings.map((v) => v.length)).toEqual([256, 256, 256]);
    expect(lastBody(server, '/api/embed')).toEqual({
      model: 'nomic-embed-text',
      input: ['a', 'b', 'c'],
      dimensions: 256,
      truncate: false,
    });
    expect(model.capabilities.features).toEqual(['embeddings']);
  });
});

describe('healthCheck', () => {
  it('is healthy when the server lists the model, not otherwise', async () => {
    const before = server.requests.length;
    const present = await new OllamaModel('llama3.2:latest', { host: server.url }).healthCheck();
    expect(present).toMatchObject({ healthy: true });
    const absent = await new OllamaModel('phi4', { host: server.url }).healthCheck();
    expect(absent.healthy).toBe(false);
    expect(absent.message).toContain("'phi4' is not installed");
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/api/tags', '/api/tags']);
  });
});

describe('connection settings', () => {
  it('sends the API key as a bearer token and merges headers per call', async () => {
    const model = new OllamaModel('llama3.2', {
      host: server.url,
      apiKey: 'k-123456',
      headers: { 'x-team': 'a' },
    });
    await model.generate(hello, { headers: { 'x-call': 'b' } });
    const headers = server.lastRequest('/api/chat')!.headers;
    expect(headers.authorization).toBe('Bearer k-123456');
    expect(headers['x-team']).toBe('a');
    expect(headers['x-call']).toBe('b');
    expect(headers['user-agent']).toMatch(/^ollama-js\//);
  });

  it('reads OLLAMA_HOST, accepts host:port and a trailing /api, and keeps OLLAMA_API_KEY for ollama.com', async () => {
    const saved = { host: process.env.OLLAMA_HOST, key: process.env.OLLAMA_API_KEY };
    process.env.OLLAMA_HOST = server.url.replace('http://', '');
    process.env.OLLAMA_API_KEY = 'env-key-abcdef';
    try {
      await new OllamaModel('llama3.2').generate(hello);
      expect(server.lastRequest('/api/chat')!.headers.authorization).toBeUndefined();
      await new OllamaModel('llama3.2', { baseURL: `${server.url}/api/` }).generate(hello);
      expect(server.requests.at(-1)!.path).toBe('/api/chat');
    } finally {
      if (saved.host === undefined) delete process.env.OLLAMA_HOST;
      else process.env.OLLAMA_HOST = saved.host;
      if (saved.key === undefined) delete process.env.OLLAMA_API_KEY;
      else process.env.OLLAMA_API_KEY = saved.key;
    }
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const model = new OllamaModel('llama3.2', {
      host: server.url,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await model.generate(hello);
    expect(seen).toEqual([`${server.url}/api/chat`]);
  });
});
