import { inspect } from 'node:util';
import { type ChatRequest, calculateCost } from '@orchestrator/core';
import type { FakeOpenAIServer } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY, collect, lastBody, modelOn, startServer, textOf } from './__tests__/helpers.js';
import { createOpenAIModel, OpenAIModel } from './index.js';
import { readCompletionBody } from './openai-model.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

describe('OpenAIModel.generate', () => {
  it('maps a plain request and response, with usage, cost and latency', async () => {
    const model = createOpenAIModel('gpt-4o-mini', { apiKey: API_KEY, baseURL: server.baseURL });
    const response = await model.generate({ ...hello, system: 'Be brief.' });

    const sent = server.lastRequest()!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      stream: false,
    });
    expect(response.provider).toBe('openai');
    expect(response.model).toBe('gpt-4o-mini');
    expect(response.id).toMatch(/^chatcmpl-/);
    expect(response.content).toContain('Say hello');
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('stop');
    expect(response.toolCalls).toEqual([]);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);
    expect(response.usage.totalTokens).toBe(
      response.usage.inputTokens! + response.usage.outputTokens!,
    );
    expect(response.costUsd).toBeGreaterThan(0);
    expect(response.costUsd).toBe(calculateCost(model.pricing, response.usage));
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(response.warnings).toEqual([]);
    expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(1);
  });

  it('maps multi-turn conversations with images, tool calls and tool results', async () => {
    const model = modelOn(server, 'gpt-4o');
    await model.generate({
      system: 'You are a weather bot.',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        {
          role: 'user',
          name: 'ada',
          content: [
            { type: 'text', text: 'What is in this picture, and the weather?' },
            { type: 'image', url: 'https://example.com/cat.png', detail: 'low' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"temp":21}' },
      ],
    });
    expect(lastBody(server).messages).toEqual([
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'system', content: 'Answer in English.' },
      {
        role: 'user',
        name: 'ada',
        content: [
          { type: 'text', text: 'What is in this picture, and the weather?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
    ]);
  });

  it('passes sampling settings through and warns about the ones OpenAI lacks', async () => {
    const response = await modelOn(server, 'gpt-4.1').generate({
      ...hello,
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      maxTokens: 200,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
    });
    expect(lastBody(server)).toMatchObject({
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      max_tokens: 200,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
    });
    expect(lastBody(server)).not.toHaveProperty('top_k');
    expect(response.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'topK', details: 'OpenAI has no top-k sampling' },
    ]);
  });

  it('adapts requests to reasoning models instead of failing (the fake rejects what the API rejects)', async () => {
    const model = modelOn(server, 'gpt-5-mini');
    const response = await model.generate({
      ...hello,
      system: 'Think carefully.',
      temperature: 0.2,
      topP: 0.5,
      stop: ['x'],
      maxTokens: 500,
      providerOptions: { openai: { reasoningEffort: 'low', verbosity: 'low' } },
    });
    const body = lastBody(server);
    expect(body).toMatchObject({
      max_completion_tokens: 500,
      reasoning_effort: 'low',
      verbosity: 'low',
    });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('stop');
    expect(body).not.toHaveProperty('max_tokens');
    expect((body.messages as { role: string }[])[0]!.role).toBe('developer');
    expect(
      response.warnings.map((w) => (w.type === 'unsupported-setting' ? w.setting : w.type)),
    ).toEqual(['temperature', 'topP', 'stop']);
    expect(response.usage.reasoningTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(response.usage.reasoningTokens!);
  });

  it('validates provider options: unknown or invalid ones become warnings, reasoning effort needs a reasoning model', async () => {
    const response = await modelOn(server, 'gpt-4o').generate({
      ...hello,
      providerOptions: {
        openai: {
          reasoningEffort: 'high',
          user: 'u-1',
          store: 'yes',
          bogus: 1,
          serviceTier: 'flex',
        },
        anthropic: { ignored: true },
      },
    });
    const body = lastBody(server);
    expect(body).toMatchObject({ user: 'u-1', service_tier: 'flex' });
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(body).not.toHaveProperty('store');
    expect(body).not.toHaveProperty('bogus');
    expect(response.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.openai.store',
        details: 'must be a boolean',
      },
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.openai.bogus',
        details: 'unknown option',
      },
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.reasoningEffort',
        details: 'only reasoning models take a reasoning effort',
      },
    ]);
  });

  it('calls tools: maps definitions and choice, returns parsed tool calls', async () => {
    const response = await modelOn(server).generate({
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          name: 'lookup',
          description: 'Search',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
        {
          name: 'get_weather',
          description: 'Current weather',
          parameters: {
            type: 'object',
            properties: {
              city: { type: 'string' },
              unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
            },
            required: ['city', 'unit'],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
      toolChoice: { type: 'tool', name: 'get_weather' },
      providerOptions: { openai: { parallelToolCalls: false } },
    });
    const body = lastBody(server);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(body.parallel_tool_calls).toBe(false);
    expect((body.tools as unknown[])[1]).toEqual({
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather',
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string' },
            unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          },
          required: ['city', 'unit'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('tool_calls');
    expect(response.toolCalls).toHaveLength(1);
    const call = response.toolCalls[0]!;
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
  });

  it('answers after a tool result and maps tool choice strings', async () => {
    const response = await modelOn(server).generate({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_9', name: 'w', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'call_9', content: 'sunny' },
      ],
      tools: [{ name: 'w', parameters: { type: 'object', properties: {} } }],
      toolChoice: 'auto',
    });
    expect(lastBody(server).tool_choice).toBe('auto');
    expect(response.finishReason).toBe('stop');
    expect(response.toolCalls).toEqual([]);
    expect(response.content.length).toBeGreaterThan(0);
  });

  it('asks for JSON mode, adding the JSON hint OpenAI insists on', async () => {
    const response = await modelOn(server).generate({ ...hello, responseFormat: { type: 'json' } });
    const body = lastBody(server);
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect((body.messages as { content: string }[])[0]).toEqual({
      role: 'system',
      content: 'Respond with a single JSON object.',
    });
    expect(JSON.parse(response.content)).toHaveProperty('answer');
  });

  it('asks for a JSON schema and gets JSON matching it', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' } },
        email: { type: 'string', format: 'email' },
      },
      required: ['name', 'age', 'tags', 'email'],
      additionalProperties: false,
    };
    const response = await modelOn(server).generate({
      messages: [{ role: 'user', content: 'Describe a person' }],
      responseFormat: { type: 'json_schema', schema, name: 'person card', strict: true },
    });
    expect(lastBody(server).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'person_card', schema, strict: true },
    });
    const value = JSON.parse(response.content);
    expect(value).toEqual({
      name: 'Ada Lovelace',
      age: 36,
      tags: expect.any(Array),
      email: 'ada@example.com',
    });
  });

  it('downgrades a JSON schema to JSON mode on models without Structured Outputs, and drops what a model cannot take', async () => {
    const turbo = await modelOn(server, 'gpt-4-turbo').generate({
      ...hello,
      responseFormat: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(lastBody(server).response_format).toEqual({ type: 'json_object' });
    expect(turbo.warnings[0]).toMatchObject({
      type: 'unsupported-setting',
      setting: 'responseFormat',
    });

    const old = await modelOn(server, 'gpt-3.5-turbo').generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', url: 'https://x/y.png' },
          ],
        },
      ],
    });
    expect(lastBody(server).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Look' }] },
    ]);
    expect(old.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'images',
        details: 'this model does not accept images; they were left out',
      },
    ]);
  });

  it('reports cached and reasoning tokens and prices them', async () => {
    server.enqueue({
      usage: {
        inputTokens: 2000,
        outputTokens: 500,
        cachedInputTokens: 1500,
        reasoningTokens: 300,
      },
    });
    const model = modelOn(server, 'o4-mini');
    const response = await model.generate(hello);
    expect(response.usage).toMatchObject({
      inputTokens: 2000,
      outputTokens: 500,
      totalTokens: 2500,
      cachedInputTokens: 1500,
      reasoningTokens: 300,
    });
    // o4-mini: $1.10 input, $0.275 cached input, $4.40 output per million.
    expect(response.costUsd).toBeCloseTo((500 * 1.1 + 1500 * 0.275 + 500 * 4.4) / 1e6, 12);
  });

  it('normalizes finish reasons: length, content_filter, and refusals', async () => {
    const short = await modelOn(server).generate({ ...hello, maxTokens: 3 });
    expect(short.finishReason).toBe('length');

    server.enqueue({ text: '', finishReason: 'content_filter' });
    const filtered = await modelOn(server).generate(hello);
    expect(filtered).toMatchObject({
      finishReason: 'content_filter',
      rawFinishReason: 'content_filter',
    });

    server.enqueue({ refusal: "I can't help with that." });
    const refused = await modelOn(server).generate(hello);
    expect(refused).toMatchObject({
      content: '',
      finishReason: 'content_filter',
      rawFinishReason: 'stop',
    });
    expect(refused.warnings).toEqual([
      { type: 'other', message: "The model refused: I can't help with that." },
    ]);
  });

  it('sends configured and per-call headers, through an injected fetch', async () => {
    const seen: string[] = [];
    const model = modelOn(server, 'gpt-4o-mini', {
      headers: { 'x-team': 'search' },
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await model.generate(hello, { headers: { 'x-trace': 'abc' } });
    expect(seen).toEqual([`${server.baseURL}/chat/completions`]);
    expect(server.lastRequest()!.headers).toMatchObject({ 'x-team': 'search', 'x-trace': 'abc' });
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment', async () => {
    vi.stubEnv('OPENAI_API_KEY', API_KEY);
    vi.stubEnv('OPENAI_BASE_URL', server.baseURL);
    try {
      const model = new OpenAIModel('gpt-4o-mini');
      expect(model.baseURL).toBe(server.baseURL);
      await model.generate(hello);
      expect(server.lastRequest()!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('uses name, provider, capabilities, pricing and timeout from settings', () => {
    const model = new OpenAIModel('my-local-llama', {
      name: 'llama-local',
      provider: 'vllm',
      baseURL: 'http://127.0.0.1:9/v1',
      capabilities: {
        contextWindow: 32_768,
        features: ['chat', 'text_generation', 'streaming', 'tool_calling'],
      },
      pricing: { inputPerMillion: 0.1, outputPerMillion: 0.2 },
      timeoutMs: 5_000,
    });
    expect(model.name).toBe('llama-local');
    expect(model.provider).toBe('vllm');
    expect(model.capabilities.contextWindow).toBe(32_768);
    expect(model.supports('tool_calling')).toBe(true);
    expect(model.pricing.inputPerMillion).toBe(0.1);
    expect(model.constraints.timeoutMs).toBe(5_000);
  });

  it('keeps the key out of the model when it is serialized or inspected', () => {
    const model = modelOn(server, 'gpt-4o', { headers: { 'x-team': 'a' } });
    expect(JSON.stringify(model)).not.toContain(API_KEY);
    expect(inspect(model, { depth: 10 })).not.toContain(API_KEY);
  });
});

describe('OpenAIModel.stream', () => {
  it('streams text deltas and one finish with usage and cost', async () => {
    const model = modelOn(server);
    const plain = await model.generate(hello);
    const chunks = await collect(model.stream(hello));
    expect(lastBody(server)).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(textOf(chunks)).toBe(plain.content);
    expect(chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(5);
    const finish = chunks.at(-1)!;
    expect(chunks.filter((c) => c.type === 'finish' || c.type === 'error')).toHaveLength(1);
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      model: 'gpt-4o-mini',
    });
    if (finish.type !== 'finish') throw new Error('no finish');
    expect(finish.usage).toMatchObject({
      inputTokens: plain.usage.inputTokens,
      outputTokens: plain.usage.outputTokens,
    });
    expect(finish.costUsd).toBe(plain.costUsd);
    expect(finish.id).toMatch(/^chatcmpl-/);
  });

  it('streams tool calls as deltas that reassemble into the call', async () => {
    server.enqueue({
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
    });
    const chunks = await collect(
      modelOn(server).stream({
        ...hello,
        tools: [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }],
      }),
    );
    const deltas = chunks.filter((c) => c.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.every((d) => d.index === 0)).toBe(true);
    expect(deltas[0]).toMatchObject({
      id: expect.stringMatching(/^call_/),
      name: 'get_weather',
      argumentsDelta: '',
    });
    expect(deltas.slice(1).every((d) => d.id === undefined && d.name === undefined)).toBe(true);
    expect(JSON.parse(deltas.map((d) => d.argumentsDelta).join(''))).toEqual({
      city: 'Paris',
      unit: 'celsius',
    });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('carries warnings on the finish chunk and survives keep-alive comments', async () => {
    server.enqueue({ keepAlive: true, text: 'kept alive' });
    const chunks = await collect(modelOn(server).stream({ ...hello, topK: 3 }));
    expect(textOf(chunks)).toBe('kept alive');
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      warnings: [{ type: 'unsupported-setting', setting: 'topK' }],
    });
  });
});

describe('compatibility: compatible', () => {
  it('speaks to servers without stream_options or keys', async () => {
    const open = await startServer({ auth: {} });
    try {
      const model = new OpenAIModel('qwen2.5-7b-instruct', {
        baseURL: open.baseURL,
        compatibility: 'compatible',
        provider: 'vllm',
      });
      const chunks = await collect(model.stream({ ...hello, maxTokens: 50 }));
      const sent = open.lastRequest()!;
      expect(sent.headers.authorization).toBeUndefined();
      expect(sent.body).not.toHaveProperty('stream_options');
      expect(sent.body).toMatchObject({ max_tokens: 50 });
      expect(chunks.at(-1)).toMatchObject({
        type: 'finish',
        finishReason: 'stop',
        usage: {},
        costUsd: 0,
      });
      expect(textOf(chunks).length).toBeGreaterThan(0);
      const response = await model.generate(hello);
      expect(response.provider).toBe('vllm');
    } finally {
      await open.close();
    }
  });
});

describe('readCompletionBody (the plain answer read without the SDK parse step)', () => {
  const answer = (body: string | null, status: number, contentType?: string) =>
    new Response(body, {
      status,
      headers: contentType === undefined ? {} : { 'content-type': contentType },
    });

  it('reads JSON media types as JSON, with parameters and +json suffixes', async () => {
    expect(await readCompletionBody(answer('{"a":1}', 200, 'application/json'))).toEqual({ a: 1 });
    expect(
      await readCompletionBody(answer('{"a":2}', 200, 'application/json; charset=utf-8')),
    ).toEqual({ a: 2 });
    expect(await readCompletionBody(answer('{"a":3}', 200, 'application/vnd.x+json'))).toEqual({
      a: 3,
    });
  });

  it('reads anything else as text, which then is no completion', async () => {
    expect(await readCompletionBody(answer('<html>portal</html>', 200, 'text/html'))).toBe(
      '<html>portal</html>',
    );
    expect(await readCompletionBody(answer('{"a":1}', 200))).toBe('{"a":1}');
  });

  it('gives nothing for a 204 or an empty JSON body, and throws on malformed JSON', async () => {
    expect(await readCompletionBody(answer(null, 204))).toBeNull();
    const empty = new Response('', {
      status: 200,
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(await readCompletionBody(empty)).toBeUndefined();
    await expect(readCompletionBody(answer('{"a":', 200, 'application/json'))).rejects.toThrow(
      SyntaxError,
    );
  });
});
