import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer } from './fake-openai-server.js';
import { embedText } from './openai-embeddings.js';
import { synthesizeJson } from './synthesize-json.js';

const KEY = 'sk-fake-0123456789abcdefghij';
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = new FakeOpenAIServer({
    auth: { apiKey: KEY },
    profiles: { 'flaky-model': { failureRate: 1 } },
  });
  await server.start();
});
afterAll(() => server.close());

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${KEY}` },
) =>
  fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

/** The `data:` payloads of an SSE body. */
function sseData(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
}

describe('FakeOpenAIServer wire protocol', () => {
  it('answers 401 in OpenAI’s shape without the key, masking a wrong one', async () => {
    const missing = await post('/chat/completions', chat(), {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('x-request-id')).toMatch(/^req_/);
    const body = (await missing.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error.message).toContain("You didn't provide an API key");

    const wrong = await post('/chat/completions', chat(), {
      authorization: 'Bearer sk-wrong-key-12345678',
    });
    const text = await wrong.text();
    expect(wrong.status).toBe(401);
    expect(text).toContain('invalid_api_key');
    expect(text).not.toContain('sk-wrong-key-12345678');
  });

  it('streams chunks with usage: null, a final usage chunk without choices, then [DONE]', async () => {
    server.enqueue({ text: 'a b', toolCalls: [{ name: 'f', arguments: '{"x":1}' }] });
    const response = await post(
      '/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Record<string, unknown>);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: expect.any(Number),
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const deltas = chunks
      .slice(0, -1)
      .map((c) => (c.choices as { delta: Record<string, unknown> }[])[0]!.delta);
    expect(deltas[0]).toMatchObject({ role: 'assistant', content: '' });
    const toolDeltas = deltas.flatMap(
      (d) => (d.tool_calls as Record<string, unknown>[] | undefined) ?? [],
    );
    expect(toolDeltas[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'f', arguments: '' },
    });
    expect(
      toolDeltas
        .slice(1)
        .map((d) => (d.function as { arguments: string }).arguments)
        .join(''),
    ).toBe('{"x":1}');
    const finish = (chunks.at(-2)!.choices as { finish_reason: string }[])[0]!;
    expect(finish.finish_reason).toBe('tool_calls');
  });

  it('rejects what the real API rejects', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [chat({ response_format: { type: 'json_object' } }), "must contain the word 'json'"],
      [chat({ model: 'o3', temperature: 0.2 }), "'temperature' does not support 0.2"],
      [chat({ model: 'gpt-5', max_tokens: 10 }), "Use 'max_completion_tokens' instead"],
      [chat({ reasoning_effort: 'low' }), "'reasoning_effort' is not supported"],
      [chat({ stream_options: { include_usage: true } }), "only allowed when 'stream' is enabled"],
      [{ model: 'gpt-4o', messages: [] }, 'too short'],
    ];
    for (const [body, message] of cases) {
      const response = await post('/chat/completions', body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        message,
      );
    }
    const image = await post('/images/generations', {
      model: 'gpt-image-1',
      prompt: 'x',
      response_format: 'url',
    });
    expect(image.status).toBe(400);
  });

  it('encodes embeddings as floats or base64 float32', async () => {
    const floats = (await (
      await post('/embeddings', { model: 'text-embedding-3-small', input: 'hi', dimensions: 8 })
    ).json()) as {
      data: { embedding: number[] }[];
    };
    expect(floats.data[0]!.embedding).toEqual(embedText('hi', 'text-embedding-3-small', 8));
    const b64 = (await (
      await post('/embeddings', {
        model: 'text-embedding-3-small',
        input: 'hi',
        dimensions: 8,
        encoding_format: 'base64',
      })
    ).json()) as { data: { embedding: string }[] };
    const bytes = Buffer.from(b64.data[0]!.embedding, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 8))).toEqual(
      floats.data[0]!.embedding,
    );
  });

  it('reads multipart audio and answers in the requested format', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(32_000)], { type: 'audio/wav' }), 'a.wav');
    form.append('model', 'whisper-1');
    form.append('response_format', 'text');
    const response = await fetch(`${server.baseURL}/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect((await response.text()).length).toBeGreaterThan(1);
    expect(server.lastRequest()!.path).toBe('/v1/audio/transcriptions');
  });

  it('fails as the model profile says when nothing is scripted', async () => {
    const response = await post('/chat/completions', chat({ model: 'flaky-model' }));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'server_error',
    );
  });

  it('mounts under another prefix with api-key auth', async () => {
    const azure = new FakeOpenAIServer({
      prefix: 'openai/v1/',
      auth: { scheme: 'api-key', apiKey: KEY },
    });
    await azure.start();
    try {
      expect(azure.baseURL).toBe(`${azure.url}/openai/v1`);
      const init = (headers: Record<string, string>) => ({ headers });
      expect((await fetch(`${azure.baseURL}/models`, init({ 'api-key': KEY }))).status).toBe(200);
      expect(
        (await fetch(`${azure.baseURL}/models`, init({ authorization: `Bearer ${KEY}` }))).status,
      ).toBe(401);
    } finally {
      await azure.close();
    }
  });
});

describe('synthesizeJson', () => {
  it('fills every property, follows $refs, enums, bounds and name hints', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        temperature: { type: 'number', maximum: 10 },
        unit: { enum: ['celsius', 'fahrenheit'] },
        owner: { $ref: '#/$defs/person' },
        note: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 5 }] },
        flags: { type: 'array', items: { type: 'boolean' }, minItems: 3 },
      },
      $defs: {
        person: {
          type: 'object',
          properties: { email: { type: 'string' }, age: { type: 'integer' } },
        },
      },
    };
    const value = synthesizeJson(schema, {
      root: schema,
      text: 'Some words. More words.',
      random: () => 0,
    });
    expect(value).toEqual({
      city: 'Paris',
      temperature: 10,
      unit: 'celsius',
      owner: { email: 'ada@example.com', age: 36 },
      note: expect.any(String),
      flags: [true, true, true],
    });
    expect((value as { note: string }).note.length).toBeLessThanOrEqual(5);
  });
});
