import { InvalidRequestError } from '@orchestrator/core';
import { describe, expect, it } from 'vitest';
import { API_KEY, lastBody, MODEL, useFakeAnthropic } from './__tests__/fake-setup.js';
import { createAnthropicModel } from './anthropic-model.js';

const { server, model } = useFakeAnthropic();
const hello = { messages: [{ role: 'user' as const, content: 'Hello there' }] };

describe('AnthropicModel.generate', () => {
  it('sends a plain request through the SDK and normalizes the answer', async () => {
    server.enqueue({ text: 'Hi! How can I help?', usage: { inputTokens: 12, outputTokens: 7 } });
    const res = await model().generate({ ...hello, system: 'Be brief.' });
    const req = server.lastRequest('/v1/messages')!;
    expect(req.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['x-stainless-retry-count']).toBe('0');
    expect(req.body).toEqual({
      model: MODEL,
      max_tokens: 64_000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
    });
    expect(res).toMatchObject({
      provider: 'anthropic',
      model: MODEL,
      content: 'Hi! How can I help?',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19, cachedInputTokens: 0 },
      warnings: [],
    });
    expect(res.id).toMatch(/^msg_/);
    expect(res.costUsd).toBeCloseTo((12 * 1 + 7 * 5) / 1e6, 12);
    expect(res.latencyMs).toBeGreaterThan(0);
  });

  it('merges system messages into `system` and consecutive same-role turns into one', async () => {
    await model().generate({
      system: 'Rule one.',
      messages: [
        { role: 'system', content: 'Rule two.' },
        { role: 'user', content: 'First' },
        { role: 'user', content: [{ type: 'text', text: 'Second' }] },
        { role: 'assistant', content: 'Reply' },
        { role: 'system', content: 'Rule three.' },
        { role: 'assistant', content: 'More' },
        { role: 'user', content: 'Third' },
      ],
      maxTokens: 100,
      stop: ['END'],
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
    });
    expect(lastBody(server)).toEqual({
      model: MODEL,
      max_tokens: 100,
      system: 'Rule one.\n\nRule two.\n\nRule three.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'First' },
            { type: 'text', text: 'Second' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reply' },
            { type: 'text', text: 'More' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Third' }] },
      ],
      stop_sequences: ['END'],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
    });
  });

  it('maps images by base64 data, data URL and plain URL', async () => {
    await model().generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', data: 'aGVsbG8=', mediaType: 'image/png' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
            { type: 'image', url: 'https://example.com/cat.webp' },
            { type: 'text', text: 'Describe these.' },
          ],
        },
      ],
    });
    const content = (lastBody(server).messages as { content: unknown[] }[])[0]!.content;
    expect(content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'aGVsbG8=' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.webp' } },
      { type: 'text', text: 'Describe these.' },
    ]);
  });

  it('sends tools and tool choice, and returns tool calls with JSON arguments', async () => {
    server.enqueue({
      text: 'Let me check.',
      toolCalls: [
        { name: 'get_weather', arguments: '{"city":"Paris"}' },
        { name: 'get_time', arguments: '{}' },
      ],
    });
    const tools = [
      {
        name: 'get_weather',
        description: 'Weather now',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
      },
      { name: 'get_time', parameters: { properties: {} } },
    ];
    const res = await model().generate({ ...hello, tools, toolChoice: 'required' });
    const body = lastBody(server);
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather now', input_schema: tools[0]!.parameters },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(res.finishReason).toBe('tool_calls');
    expect(res.rawFinishReason).toBe('tool_use');
    expect(res.content).toBe('Let me check.');
    expect(res.toolCalls).toHaveLength(2);
    expect(res.toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(res.toolCalls[0]!.id).toMatch(/^toolu_/);
    expect(res.toolCalls[1]).toMatchObject({ name: 'get_time', arguments: '{}' });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    [
      { type: 'tool', name: 'get_weather' },
      { type: 'tool', name: 'get_weather' },
    ],
  ] as const)('maps toolChoice %j', async (choice, wire) => {
    await model().generate({
      ...hello,
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
      toolChoice: choice,
    });
    expect(lastBody(server).tool_choice).toEqual(wire);
  });

  it('sends tool calls as tool_use blocks and tool results as tool_result blocks in a user turn', async () => {
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const first = await model().generate({
      ...hello,
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
    });
    const call = first.toolCalls[0]!;
    server.enqueue({ text: 'It is sunny in Paris.' });
    const second = await model().generate({
      messages: [
        ...hello.messages,
        { role: 'assistant', content: null, toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, content: '{"sky":"clear"}' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
    });
    expect((lastBody(server).messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Paris' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: call.id, content: '{"sky":"clear"}' },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
    expect(second.content).toBe('It is sunny in Paris.');
  });

  it('implements JSON-schema output by forcing one tool and returns its input as the content', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name'],
    };
    const res = await model().generate({
      ...hello,
      responseFormat: { type: 'json_schema', schema, name: 'person' },
    });
    const body = lastBody(server);
    expect(body.tools).toEqual([
      { name: 'json_output', description: expect.any(String), input_schema: schema },
    ]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_output' });
    expect(JSON.parse(res.content)).toEqual({ name: 'example', age: 1 });
    expect(res.toolCalls).toEqual([]);
    expect(res.finishReason).toBe('stop');
    expect(res.warnings).toEqual([]);
  });

  it('wraps a non-object schema and plain JSON mode asks for an object', async () => {
    const res = await model().generate({
      ...hello,
      responseFormat: { type: 'json_schema', schema: { type: 'array', items: { type: 'string' } } },
    });
    expect((lastBody(server).tools as { input_schema: unknown }[])[0]!.input_schema).toEqual({
      type: 'object',
      properties: { value: { type: 'array', items: { type: 'string' } } },
      required: ['value'],
    });
    expect(JSON.parse(res.content)).toEqual(['example']);

    server.enqueue({ toolCalls: [{ name: 'json_output', arguments: '{"ok":true}' }] });
    const plain = await model().generate({ ...hello, responseFormat: { type: 'json' } });
    expect(plain.content).toBe('{"ok":true}');
    expect(plain.warnings).toEqual([]);
  });

  it('reports unsupported settings as warnings and still answers', async () => {
    const res = await model().generate({
      ...hello,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: 0.5,
      temperature: 1.5,
    });
    expect(
      res.warnings.map((w) => (w.type === 'unsupported-setting' ? w.setting : w.message)),
    ).toEqual(['temperature', 'seed', 'presencePenalty', 'frequencyPenalty']);
    const body = lastBody(server);
    expect(body.temperature).toBe(1);
    expect(body).not.toHaveProperty('seed');
    expect(body).not.toHaveProperty('presence_penalty');
    expect(res.content).toContain('[simulated]');
  });

  it('validates and passes extended thinking through providerOptions.anthropic', async () => {
    const res = await model().generate({
      ...hello,
      maxTokens: 4000,
      temperature: 0.3,
      providerOptions: {
        anthropic: {
          thinking: { type: 'enabled', budget_tokens: 2048 },
          metadata: { user_id: 'u-1' },
          bogus: 1,
        },
      },
    });
    const body = lastBody(server);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body.metadata).toEqual({ user_id: 'u-1' });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('bogus');
    expect(res.warnings.map((w) => (w.type === 'unsupported-setting' ? w.setting : ''))).toEqual([
      'providerOptions.anthropic.bogus',
      'temperature',
    ]);
    expect(res.usage.reasoningTokens).toBeGreaterThan(0);
    expect(res.content).not.toContain('Let me think');

    const bad = model().generate({
      ...hello,
      maxTokens: 2000,
      providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 4096 } } },
    });
    await expect(bad).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      model().generate({
        ...hello,
        providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 10 } } },
      }),
    ).rejects.toThrow(/budget_tokens must be an integer ≥ 1024/);
  });

  it('normalizes usage with cache reads and writes and prices cache writes at 1.25×', async () => {
    server.enqueue({
      text: 'ok',
      usage: { inputTokens: 1000, cachedInputTokens: 600, outputTokens: 100 },
      cacheCreationInputTokens: 300,
    });
    const res = await model().generate(hello);
    expect(res.usage).toMatchObject({
      inputTokens: 1000,
      cachedInputTokens: 600,
      outputTokens: 100,
      totalTokens: 1100,
    });
    expect(res.usage.raw).toMatchObject({
      input_tokens: 100,
      cache_read_input_tokens: 600,
      cache_creation_input_tokens: 300,
    });
    // haiku-4-5: $1 in, $0.10 cached, $5 out; cache writes +25%.
    const expected = (400 * 1 + 600 * 0.1 + 100 * 5 + 300 * 0.25) / 1e6;
    expect(res.costUsd).toBeCloseTo(expected, 12);
  });

  it.each([
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
    ['model_context_window_exceeded', 'length'],
  ])('maps stop_reason %s to %s', async (raw, normalized) => {
    server.enqueue({ text: 'x', finishReason: raw });
    const res = await model().generate(hello);
    expect(res.finishReason).toBe(normalized);
    expect(res.rawFinishReason).toBe(raw);
  });

  it('counts tokens with the count_tokens endpoint', async () => {
    const n = await model().countTokens({
      ...hello,
      system: 'Be brief.',
      maxTokens: 10,
      temperature: 0.5,
    });
    const req = server.lastRequest('/v1/messages/count_tokens')!;
    expect(req.body).toEqual({
      model: MODEL,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
    });
    expect(n).toBeGreaterThan(0);
  });

  it('checks health by listing models, and reports a bad key as unhealthy', async () => {
    const ok = await model().healthCheck();
    expect(ok.healthy).toBe(true);
    expect(server.lastRequest()!.path).toBe('/v1/models');
    expect(server.lastRequest()!.query.get('limit')).toBe('1');
    const bad = await model({ apiKey: 'sk-ant-api03-WRONGKEY0123456789abcdef' }).healthCheck();
    expect(bad.healthy).toBe(false);
    expect(bad.message).toMatch(/invalid x-api-key/);
    expect(bad.message).not.toContain('WRONGKEY');
  });

  it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL from the environment', async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
    process.env.ANTHROPIC_API_KEY = API_KEY;
    process.env.ANTHROPIC_BASE_URL = server.url;
    try {
      const m = createAnthropicModel(MODEL, { name: 'claude-fast' });
      expect(m.name).toBe('claude-fast');
      expect(m.provider).toBe('anthropic');
      server.enqueue({ text: 'from env' });
      expect((await m.generate(hello)).content).toBe('from env');
    } finally {
      if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = saved.url;
    }
  });

  it('sends configured and per-call headers', async () => {
    await model({ headers: { 'anthropic-beta': 'some-beta' } }).generate(hello, {
      headers: { 'x-trace': 't1' },
    });
    const req = server.lastRequest('/v1/messages')!;
    expect(req.headers['anthropic-beta']).toBe('some-beta');
    expect(req.headers['x-trace']).toBe('t1');
  });
});
