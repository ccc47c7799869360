import { InvalidRequestError } from '@orchestrator/core';
import type { FakeGeminiServer } from '@orchestrator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY, modelFor, startServer } from './__tests__/fixtures.js';
import { createGoogleModel, GoogleModel } from './google-model.js';

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

type Body = {
  contents: { role: string; parts: Record<string, unknown>[] }[];
  systemInstruction?: { parts: { text: string }[] };
  generationConfig?: Record<string, unknown>;
  tools?: { functionDeclarations: Record<string, unknown>[] }[];
  toolConfig?: { functionCallingConfig: { mode: string; allowedFunctionNames?: string[] } };
  safetySettings?: unknown[];
};
const lastBody = (): Body => server.requests.at(-1)!.body as Body;

describe('generate', () => {
  it('maps a plain request and the response', async () => {
    const model = modelFor(server);
    const response = await model.generate({
      system: 'Be brief.',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'What is a monad?' },
        { role: 'assistant', content: 'A design pattern.' },
        { role: 'user', content: 'Say more.' },
      ],
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 200,
      stop: ['END'],
      seed: 7,
    });
    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe(KEY);
    expect(request.query.get('key')).toBeNull();
    expect(lastBody()).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'What is a monad?' }] },
        { role: 'model', parts: [{ text: 'A design pattern.' }] },
        { role: 'user', parts: [{ text: 'Say more.' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.\n\nAnswer in English.' }] },
      generationConfig: {
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 200,
        stopSequences: ['END'],
        seed: 7,
      },
    });
    expect(response.provider).toBe('google');
    expect(response.model).toBe('gemini-2.5-flash');
    expect(response.content).toContain('[simulated]');
    expect(response.content).toContain('Say more.');
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('STOP');
    expect(response.id).toMatch(/^fake-/);
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(response.warnings).toEqual([]);
    expect(model.name).toBe('gemini-2.5-flash');
    expect(model.provider).toBe('google');
  });

  it('reports usage, cached and reasoning tokens, and the cost', async () => {
    server.enqueue({
      text: 'ok',
      usage: { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400, reasoningTokens: 300 },
    });
    const response = await modelFor(server).generate({
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.usage).toMatchObject({
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 500,
      reasoningTokens: 300,
      totalTokens: 1500,
    });
    expect(response.usage.raw).toMatchObject({
      promptTokenCount: 1000,
      candidatesTokenCount: 200,
      thoughtsTokenCount: 300,
    });
    // gemini-2.5-flash: $0.30 in, $0.03 cached in, $2.50 out (thinking included), per million.
    expect(response.costUsd).toBeCloseTo((600 * 0.3 + 400 * 0.03 + 500 * 2.5) / 1e6, 12);
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
    ['OTHER', 'other'],
  ])('maps finish reason %s to %s', async (raw, expected) => {
    server.enqueue({ text: 'partial', finishReason: raw });
    const response = await modelFor(server).generate({
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(response.finishReason).toBe(expected);
    expect(response.rawFinishReason).toBe(raw);
  });

  it('stops at maxTokens with finish reason length', async () => {
    const response = await modelFor(server).generate({
      messages: [{ role: 'user', content: 'long' }],
      maxTokens: 5,
    });
    expect(response.finishReason).toBe('length');
    expect(response.usage.outputTokens).toBeLessThanOrEqual(5);
  });

  it('sends JSON mode and a JSON schema', async () => {
    const model = modelFor(server);
    const plain = await model.generate({
      messages: [{ role: 'user', content: 'json' }],
      responseFormat: { type: 'json' },
    });
    expect(lastBody().generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(JSON.parse(plain.content)).toBeTypeOf('object');

    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'age'],
    };
    const typed = await model.generate({
      messages: [{ role: 'user', content: 'person' }],
      responseFormat: { type: 'json_schema', schema, name: 'person', strict: true },
    });
    expect(lastBody().generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(JSON.parse(typed.content)).toEqual({ name: 'example', age: 1, tags: ['example'] });
    expect(typed.warnings).toEqual([]);
  });

  it('maps images to inlineData and fileData', async () => {
    await modelFor(server).generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', data: 'iVBORw0KGgoAAAANSUhEUg', mediaType: 'image/png' },
            { type: 'image', url: 'data:image/webp;base64,UklGRhYAAABXRUJQ' },
            { type: 'image', url: 'https://example.com/cat.jpg?size=large' },
            { type: 'image', data: '/9j/4AAQSkZJRg' },
          ],
        },
      ],
    });
    expect(lastBody().contents[0]!.parts).toEqual([
      { text: 'Compare these.' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGRhYAAABXRUJQ' } },
      { fileData: { fileUri: 'https://example.com/cat.jpg?size=large', mimeType: 'image/jpeg' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRg' } },
    ]);
  });

  it('sends the settings headers and the call headers', async () => {
    const model = modelFor(server, 'gemini-2.5-flash', { headers: { 'x-team': 'search' } });
    await model.generate(
      { messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'x-request-tag': 'abc' } },
    );
    const headers = server.requests.at(-1)!.headers;
    expect(headers['x-team']).toBe('search');
    expect(headers['x-request-tag']).toBe('abc');
    expect(headers['x-goog-api-key']).toBe(KEY);
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const model = modelFor(server, 'gemini-2.5-flash', {
      fetch: (input, init) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    await model.generate({ messages: [{ role: 'user', content: 'x' }] });
    expect(seen).toEqual([`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`]);
  });

  it('accepts a base URL that ends in the API version, and a models/ prefix', async () => {
    const model = new GoogleModel({
      model: 'models/gemini-2.0-flash',
      apiKey: KEY,
      baseURL: `${server.url}/v1beta/`,
    });
    await model.generate({ messages: [{ role: 'user', content: 'x' }] });
    expect(server.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(model.modelId).toBe('gemini-2.0-flash');
  });

  it('the factory builds the same model', async () => {
    const model = createGoogleModel('gemini-2.5-pro', {
      apiKey: KEY,
      baseURL: server.url,
      name: 'pro',
    });
    expect(model).toBeInstanceOf(GoogleModel);
    expect(model.name).toBe('pro');
    expect(model.pricing.inputPerMillion).toBe(1.25);
    const response = await model.generate({ messages: [{ role: 'user', content: 'x' }] });
    expect(response.model).toBe('gemini-2.5-pro');
  });
});

describe('warnings for what Gemini cannot honour', () => {
  it('drops penalties on Gemini 2.5 and sends them to Gemini 2.0', async () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'x' }],
      presencePenalty: 0.5,
      frequencyPenalty: 0.3,
    };
    const flash25 = await modelFor(server, 'gemini-2.5-flash').generate(request);
    expect(lastBody().generationConfig).toEqual({});
    expect(
      flash25.warnings.map((w) => (w.type === 'unsupported-setting' ? w.setting : '')),
    ).toEqual(['presencePenalty', 'frequencyPenalty']);
    const flash20 = await modelFor(server, 'gemini-2.0-flash').generate(request);
    expect(lastBody().generationConfig).toEqual({ presencePenalty: 0.5, frequencyPenalty: 0.3 });
    expect(flash20.warnings).toEqual([]);
  });

  it('warns about author names, image detail, extra stop sequences, strict tools and unknown provider options', async () => {
    const response = await modelFor(server).generate({
      messages: [
        {
          role: 'user',
          name: 'ada',
          content: [
            { type: 'text', text: 'see' },
            { type: 'image', data: 'iVBOR', detail: 'high' },
          ],
        },
      ],
      stop: ['a', 'b', 'c', 'd', 'e', 'f'],
      tools: [{ name: 'f', parameters: { type: 'object' }, strict: true }],
      metadata: { user: 'u1' },
      providerOptions: { google: { frobnicate: true }, openai: { store: true } },
    });
    expect(
      response.warnings.map((w) => (w.type === 'unsupported-setting' ? w.setting : w.message)),
    ).toEqual([
      'messages.name',
      'image.detail',
      'stop',
      'tools.strict',
      'providerOptions.google.frobnicate',
    ]);
    const body = lastBody();
    expect(body.generationConfig?.stopSequences).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(JSON.stringify(body)).not.toContain('frobnicate');
    expect(JSON.stringify(body)).not.toContain('u1');
  });

  it('does not combine JSON output with tools before Gemini 3, and does on Gemini 3', async () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'x' }],
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      responseFormat: { type: 'json' as const },
    };
    const old = await modelFor(server, 'gemini-2.5-flash').generate(request);
    expect(lastBody().generationConfig).toEqual({});
    expect(old.warnings).toEqual([expect.objectContaining({ setting: 'responseFormat' })]);
    const next = await modelFor(server, 'gemini-3-flash-preview').generate(request);
    expect(lastBody().generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(next.warnings).toEqual([]);
  });

  it('passes valid provider options through and rejects malformed ones', async () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    await modelFor(server).generate({
      messages: [{ role: 'user', content: 'x' }],
      providerOptions: {
        google: {
          safetySettings,
          thinkingConfig: { thinkingBudget: 0, includeThoughts: false },
          mediaResolution: 'MEDIA_RESOLUTION_LOW',
        },
      },
    });
    expect(lastBody().safetySettings).toEqual(safetySettings);
    expect(lastBody().generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0, includeThoughts: false },
      mediaResolution: 'MEDIA_RESOLUTION_LOW',
    });
    const count = server.requests.length;
    await expect(
      modelFor(server).generate({
        messages: [{ role: 'user', content: 'x' }],
        providerOptions: { google: { thinkingConfig: { thinkingBudget: 'lots' } } },
      }),
    ).rejects.toSatisfy(
      (e) => InvalidRequestError.isInstance(e) && /thinkingConfig/.test((e as Error).message),
    );
    expect(server.requests.length).toBe(count);
  });
});

describe('requests Gemini cannot take', () => {
  it('a conversation with no user or model turn fails fast as an invalid request', async () => {
    const count = server.requests.length;
    await expect(
      modelFor(server).generate({
        messages: [{ role: 'system', content: 'Only a system prompt.' }],
      }),
    ).rejects.toSatisfy(
      (e) => InvalidRequestError.isInstance(e) && !(e as { retryable: boolean }).retryable,
    );
    expect(server.requests.length).toBe(count);
  });
});

describe('configuration', () => {
  it('reads GEMINI_API_KEY, then GOOGLE_API_KEY, and GOOGLE_GEMINI_BASE_URL', async () => {
    const saved = { ...process.env };
    try {
      process.env.GOOGLE_GEMINI_BASE_URL = server.url;
      process.env.GOOGLE_API_KEY = 'not-the-key-0000000000';
      process.env.GEMINI_API_KEY = KEY;
      await new GoogleModel({ model: 'gemini-2.5-flash' }).generate({
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(server.requests.at(-1)!.headers['x-goog-api-key']).toBe(KEY);
      delete process.env.GEMINI_API_KEY;
      process.env.GOOGLE_API_KEY = KEY;
      await new GoogleModel({ model: 'gemini-2.5-flash' }).generate({
        messages: [{ role: 'user', content: 'y' }],
      });
      expect(server.requests.at(-1)!.headers['x-goog-api-key']).toBe(KEY);
    } finally {
      process.env = saved;
    }
  });

  it('without any key, fails with an authentication error and sends nothing', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.GEMINI_API_KEY;
      delete process.env.GOOGLE_API_KEY;
      const count = server.requests.length;
      const model = new GoogleModel({ model: 'gemini-2.5-flash', baseURL: server.url });
      await expect(
        model.generate({ messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({
        code: 'authentication_failed',
        retryable: false,
      });
      expect(server.requests.length).toBe(count);
    } finally {
      process.env = saved;
    }
  });

  it('uses the settings timeout as the model constraint', () => {
    const model = modelFor(server, 'gemini-2.5-flash', { timeoutMs: 1234 });
    expect(model.constraints.timeoutMs).toBe(1234);
  });
});
