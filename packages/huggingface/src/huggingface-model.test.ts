import { calculateCost, InvalidRequestError, UnsupportedFeatureError } from '@orchestrator/core';
import { describe, expect, it } from 'vitest';
import {
  ask,
  collect,
  endpointModel,
  KEY,
  LLAMA,
  textOf,
  useFakeServer,
} from './__tests__/hf-fixtures.js';
import { getHuggingFacePricing } from './huggingface-capabilities.js';
import { HuggingFaceModel, huggingface } from './huggingface-model.js';

const fake = useFakeServer();

const weather = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('HuggingFaceModel on a dedicated endpoint (TGI)', () => {
  it('maps a chat request and the plain reply, with usage and cost', async () => {
    const { server } = fake;
    server.enqueue({ text: 'Bonjour !', usage: { inputTokens: 21, outputTokens: 4 } });
    const model = endpointModel(server);
    const response = await model.generate({
      system: 'Be brief.',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Say hello' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: [{ type: 'text', text: 'In French' }], name: 'ana' },
      ],
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 50,
      stop: ['\n\n'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
    });

    const sent = server.lastRequest('/v1/chat/completions')!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(String(sent.headers['user-agent'])).toContain('@huggingface/inference/4.13.30');
    expect(sent.body).toEqual({
      model: LLAMA,
      messages: [
        { role: 'system', content: 'Be brief.\n\nAnswer in French.' },
        { role: 'user', content: 'Say hello' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'In French', name: 'ana' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 50,
      stop: ['\n\n'],
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
    });

    expect(response.content).toBe('Bonjour !');
    expect(response.provider).toBe('huggingface');
    expect(response.model).toBe(LLAMA);
    expect(response.id).toBeUndefined(); // TGI sends an empty id
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('stop');
    expect(response.usage).toMatchObject({ inputTokens: 21, outputTokens: 4, totalTokens: 25 });
    expect(response.costUsd).toBe(
      calculateCost(getHuggingFacePricing(LLAMA), { inputTokens: 21, outputTokens: 4 }),
    );
    expect(response.costUsd).toBeGreaterThan(0);
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(response.warnings).toEqual([]);
  });

  it('reports cached and reasoning tokens where the provider does, and prices them', async () => {
    fake.server.enqueue({
      text: 'ok',
      usage: { inputTokens: 100, outputTokens: 40, cachedInputTokens: 60, reasoningTokens: 30 },
    });
    const model = endpointModel(fake.server, {
      pricing: {
        inputPerMillion: 1,
        cachedInputPerMillion: 0.25,
        outputPerMillion: 2,
        reasoningPerMillion: 4,
      },
    });
    const response = await model.generate(ask('think'));
    expect(response.usage).toMatchObject({
      inputTokens: 100,
      outputTokens: 40,
      cachedInputTokens: 60,
      reasoningTokens: 30,
    });
    // 40 fresh input at 1, 60 cached at 0.25, 10 output at 2, 30 reasoning at 4 (per million).
    expect(response.costUsd).toBeCloseTo((40 + 15 + 20 + 120) / 1e6, 12);
  });

  it('estimates usage, with a warning, when the server reports none', async () => {
    fake.server.enqueue({
      status: 200,
      body: {
        id: 'x',
        created: 1,
        model: LLAMA,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'twelve chars' },
            finish_reason: 'stop',
          },
        ],
      },
    });
    const response = await endpointModel(fake.server).generate(ask('count me'));
    expect(response.usage.outputTokens).toBe(3);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.costUsd).toBeGreaterThan(0);
    expect(response.warnings).toContainEqual(expect.objectContaining({ type: 'other' }));
  });

  it('reports a length stop', async () => {
    fake.server.enqueue({ text: 'cut', finishReason: 'length' });
    const response = await endpointModel(fake.server).generate(ask('long story'));
    expect(response.finishReason).toBe('length');
    expect(response.rawFinishReason).toBe('length');
  });

  it('sends configured and per-call headers, and bills an organization', async () => {
    const model = endpointModel(fake.server, { headers: { 'x-team': 'search' }, billTo: 'acme' });
    await model.generate(ask('hi'), { headers: { 'x-trace': 't-1' } });
    const sent = fake.server.lastRequest()!;
    expect(sent.headers['x-team']).toBe('search');
    expect(sent.headers['x-trace']).toBe('t-1');
    expect(sent.headers['x-hf-bill-to']).toBe('acme');
  });

  it('maps tools, tool choice, tool results and the tool calls in the reply', async () => {
    const { server } = fake;
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const response = await endpointModel(server).generate({
      messages: [
        { role: 'user', content: 'Weather in Lyon, then Paris?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"Lyon"}' }],
        },
        { role: 'tool', toolCallId: 'call_a', content: '{"temp":21}', name: 'get_weather' },
      ],
      tools: [weather],
      toolChoice: { type: 'tool', name: 'get_weather' },
    });
    const body = server.lastRequest()!.body as Record<string, unknown>;
    expect(body.tools).toEqual([{ type: 'function', function: weather }]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Lyon, then Paris?' },
      {
        role: 'assistant',
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Lyon"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"temp":21}', name: 'get_weather' },
    ]);
    expect(response.toolCalls).toEqual([
      { id: '0', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
  });

  it('sends tool_choice strings as they are', async () => {
    await endpointModel(fake.server).generate({
      ...ask('x'),
      tools: [weather],
      toolChoice: 'required',
    });
    expect((fake.server.lastRequest()!.body as { tool_choice: unknown }).tool_choice).toBe(
      'required',
    );
  });

  it('maps JSON-object and JSON-schema output', async () => {
    const model = endpointModel(fake.server);
    fake.server.enqueue({ text: '{"ok":true}' }, { text: '{"city":"Paris"}' });
    const plain = await model.generate({ ...ask('json please'), responseFormat: { type: 'json' } });
    expect(
      (fake.server.lastRequest()!.body as { response_format: unknown }).response_format,
    ).toEqual({ type: 'json_object' });
    expect(JSON.parse(plain.content)).toEqual({ ok: true });
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    const typed = await model.generate({
      ...ask('a city'),
      responseFormat: { type: 'json_schema', schema, name: 'city', strict: true },
    });
    expect(
      (fake.server.lastRequest()!.body as { response_format: unknown }).response_format,
    ).toEqual({
      type: 'json_schema',
      json_schema: { name: 'city', schema, strict: true },
    });
    expect(JSON.parse(typed.content)).toEqual({ city: 'Paris' });
  });

  it('sends images to vision models as image_url parts', async () => {
    const model = endpointModel(fake.server, { model: 'meta-llama/Llama-3.2-11B-Vision-Instruct' });
    await model.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', url: 'https://example.com/cat.jpg' },
          ],
        },
      ],
    });
    expect((fake.server.lastRequest()!.body as { messages: unknown[] }).messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      ],
    });
  });

  it('turns what a known model cannot do into warnings, never exceptions', async () => {
    const gemma = endpointModel(fake.server, { model: 'google/gemma-2-9b-it' });
    const response = await gemma.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'image', url: 'https://x.test/a.png' },
          ],
        },
      ],
      tools: [weather],
      responseFormat: { type: 'json' },
      topK: 40,
      providerOptions: { huggingface: { someday: true } },
    });
    const body = fake.server.lastRequest()!.body as Record<string, unknown>;
    expect(body.tools).toBeUndefined();
    expect(body.response_format).toBeUndefined();
    expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(
      response.warnings
        .map((w) => (w.type === 'unsupported-setting' ? w.setting : w.message))
        .sort(),
    ).toEqual(
      ['image', 'providerOptions.huggingface.someday', 'responseFormat', 'tools', 'topK'].sort(),
    );
  });

  it('gives unknown model ids the benefit of the doubt', async () => {
    await endpointModel(fake.server, { model: 'acme/brand-new-chat' }).generate({
      ...ask('x'),
      tools: [weather],
    });
    expect((fake.server.lastRequest()!.body as { tools?: unknown }).tools).toHaveLength(1);
  });

  it('passes validated provider options through and rejects wrong types', async () => {
    const model = endpointModel(fake.server);
    await model.generate({
      ...ask('x'),
      providerOptions: {
        huggingface: {
          logprobs: true,
          topLogprobs: 2,
          toolPrompt: 'Tools:',
          extraBody: { top_k: 5, repetition_penalty: 1.1 },
        },
      },
    });
    expect(fake.server.lastRequest()!.body).toMatchObject({
      logprobs: true,
      top_logprobs: 2,
      tool_prompt: 'Tools:',
      top_k: 5,
      repetition_penalty: 1.1,
    });
    await expect(
      model.generate({ ...ask('x'), providerOptions: { huggingface: { topLogprobs: 'two' } } }),
    ).rejects.toSatisfy(
      (e) => InvalidRequestError.isInstance(e) && /topLogprobs/.test((e as Error).message),
    );
  });

  it('streams text and one finish chunk with usage', async () => {
    fake.server.enqueue({ text: 'One two three four', usage: { inputTokens: 9, outputTokens: 4 } });
    const chunks = await collect(endpointModel(fake.server).stream(ask('count')));
    const body = fake.server.lastRequest()!.body as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(textOf(chunks)).toBe('One two three four');
    expect(chunks.filter((c) => c.type === 'text-delta').length).toBe(4);
    const last = chunks.at(-1)!;
    expect(chunks.filter((c) => c.type === 'finish' || c.type === 'error')).toHaveLength(1);
    expect(last).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 9, outputTokens: 4, totalTokens: 13 },
      model: LLAMA,
    });
    expect(last.type === 'finish' && last.costUsd).toBeGreaterThan(0);
  });

  it('streams tool calls as deltas that assemble into the call', async () => {
    fake.server.enqueue({
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"C"}' }],
    });
    const chunks = await collect(
      endpointModel(fake.server).stream({ ...ask('weather'), tools: [weather] }),
    );
    const deltas = chunks.filter((c) => c.type === 'tool-call-delta');
    expect(deltas[0]).toMatchObject({ index: 0, id: '0', name: 'get_weather' });
    expect(deltas.map((d) => (d.type === 'tool-call-delta' ? d.argumentsDelta : '')).join('')).toBe(
      '{"city":"Paris","unit":"C"}',
    );
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('refuses chat on an embedding model and embeddings on a chat model', async () => {
    const minilm = endpointModel(fake.server, { model: 'sentence-transformers/all-MiniLM-L6-v2' });
    await expect(minilm.generate(ask('x'))).rejects.toBeInstanceOf(UnsupportedFeatureError);
    await expect(endpointModel(fake.server).embed({ input: 'x' })).rejects.toBeInstanceOf(
      UnsupportedFeatureError,
    );
    const chunks = await collect(minilm.stream(ask('x')));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.type).toBe('error');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('has a factory and takes the key from HF_TOKEN', async () => {
    const saved = process.env.HF_TOKEN;
    process.env.HF_TOKEN = 'hf_FromTheEnvironment0123456789';
    try {
      const model = huggingface(LLAMA, { endpointUrl: fake.server.url });
      expect(model).toBeInstanceOf(HuggingFaceModel);
      expect(model.name).toBe(LLAMA);
      await model.generate(ask('x'));
      expect(fake.server.lastRequest()!.headers.authorization).toBe(
        'Bearer hf_FromTheEnvironment0123456789',
      );
    } finally {
      if (saved === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = saved;
    }
  });

  it('sends no Authorization header to a local server without a key', async () => {
    const saved = [process.env.HF_TOKEN, process.env.HUGGINGFACE_API_KEY];
    delete process.env.HF_TOKEN;
    delete process.env.HUGGINGFACE_API_KEY;
    try {
      await new HuggingFaceModel({ model: LLAMA, endpointUrl: fake.server.url }).generate(ask('x'));
      expect(fake.server.lastRequest()!.headers.authorization).toBeUndefined();
    } finally {
      if (saved[0] !== undefined) process.env.HF_TOKEN = saved[0];
      if (saved[1] !== undefined) process.env.HUGGINGFACE_API_KEY = saved[1];
    }
  });

  it('rejects an endpoint combined with a provider at construction', () => {
    expect(
      () =>
        new HuggingFaceModel({ model: LLAMA, endpointUrl: 'http://x.test', provider: 'together' }),
    ).toThrow(/endpointUrl/);
  });
});
