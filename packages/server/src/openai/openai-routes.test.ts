import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';

let h: Harness;
let client: OpenAI;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = await h.key('alice');
  client = new OpenAI({ apiKey: key, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());

/**
 * Sends a chat completion over fetch (so the test can drop the connection) and
 * resolves once the upstream has it; `request` settles when the client is done.
 */
async function abandonableCompletion(
  content: string,
  stream = false,
): Promise<{ controller: AbortController; request: Promise<unknown> }> {
  const controller = new AbortController();
  const body: Record<string, unknown> = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
  };
  if (stream) body.stream = true;
  const upstreamHasIt = new Promise<void>((resolve) =>
    h.openai.events.once('request', () => resolve()),
  );
  const request = fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: controller.signal,
  }).catch(() => undefined);
  await upstreamHasIt;
  return { controller, request };
}

describe('POST /v1/chat/completions with the official openai SDK', () => {
  it('answers a plain request through the real adapter', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.message.content).toContain('hello');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    // The gateway called the fake with its own upstream key, not the client's.
    expect(h.openai.lastRequest('/v1/chat')?.headers.authorization).toBe(
      `Bearer sk-proj-UPSTREAMOPENAI0123456789abcdef`,
    );
    const rows = await h.store.usage.query({ user: 'alice' });
    expect(rows.some((r) => r.model === 'gpt-4o-mini' && r.outcome === 'success')).toBe(true);
  });

  it('streams chat.completion.chunk events, usage when asked, then [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream a short answer' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    // A streamed request's usage is recorded once the stream ends.
    const rows = await h.store.usage.query({ user: 'alice' });
    expect(rows.filter((r) => r.outcome === 'success').length).toBeGreaterThanOrEqual(2);
  });

  it('passes tools and returns tool calls, plain and streamed', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    h.openai.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const plain = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      tool_choice: 'auto',
    });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(plain.choices[0]?.finish_reason).toBe('tool_calls');
    const sent = h.openai.lastRequest('/v1/chat')?.body as { tools: unknown[] };
    expect(sent.tools).toHaveLength(1);

    h.openai.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Rome"}' }] });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
      tools,
      stream: true,
    });
    let args = '';
    let name = '';
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta.tool_calls?.[0];
      if (d?.function?.name) name = d.function.name;
      args += d?.function?.arguments ?? '';
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Rome' });
  });

  it('maps response_format json_schema', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Give JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'x',
          schema: { type: 'object', properties: { a: { type: 'number' } } },
        },
      },
    });
    const sent = h.openai.lastRequest('/v1/chat')?.body as { response_format: { type: string } };
    expect(sent.response_format.type).toBe('json_schema');
  });

  it('reports errors in OpenAI shape through the SDK: 404 unknown model, 400 n>1, 401 bad key', async () => {
    const notFound = await client.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    const nf = notFound as InstanceType<typeof OpenAI.NotFoundError>;
    expect(nf.code).toBe('model_not_found');
    expect(nf.param).toBe('model');
    expect(nf.requestID).toMatch(/^req_/);

    const n = await client.chat.completions
      .create({ model: 'gpt-4o-mini', n: 2, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(n).toBeInstanceOf(OpenAI.BadRequestError);
    expect((n as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');

    const bad = new OpenAI({ apiKey: 'orch_wrong', baseURL: `${h.url}/v1`, maxRetries: 0 });
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('turns a stream whose first event fails into a proper HTTP error, not a 200', async () => {
    h.openai.enqueue({ status: 400, errorMessage: 'bad thing', times: 1 });
    const failed = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });

  it('ends a stream that fails after its first token with an error event, never [DONE]', async () => {
    h.openai.enqueue({
      cutAfterChunks: 3,
      text: 'one two three four five six seven eight nine ten',
    });
    const raw = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'count to ten' }],
      }),
    });
    expect(raw.status).toBe(200);
    const text = await raw.text();
    expect(text).not.toContain('[DONE]');
    expect(text).not.toContain('"finish_reason":"stop"');
    expect(text).toMatch(/data: \{"error":\{/);
    // The usage of the cut stream is recorded, marked partial, under the gateway's request id.
    const requestId = raw.headers.get('x-request-id')!;
    const rows = await h.store.usage.query({ user: 'alice' });
    expect(rows.filter((r) => r.requestId === requestId).some((r) => r.partial)).toBe(true);
    // Through the SDK the same stream throws.
    h.openai.enqueue({
      cutAfterChunks: 3,
      text: 'one two three four five six seven eight nine ten',
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count to ten again' }],
      stream: true,
    });
    await expect(
      (async () => {
        for await (const _ of stream) {
          /* drain */
        }
      })(),
    ).rejects.toThrow();
  });

  it('aborts the upstream call when the client disconnects', async () => {
    h.openai.enqueue({ hang: true });
    const closed = new Promise<void>((resolve) =>
      h.openai.events.once('client-closed', () => resolve()),
    );
    const { controller, request } = await abandonableCompletion('hang please', true);
    const failuresBefore = h.gateway.registry.get('gpt-4o-mini').metrics.snapshot().failures;
    const t0 = Date.now();
    controller.abort();
    await closed;
    expect(Date.now() - t0).toBeLessThan(1_000);
    await request;
    // Once the engine has settled the request (its usage row says aborted)…
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      const rows = await h.store.usage.query({ user: 'alice' });
      if (rows.some((r) => r.errorCode === 'aborted' || r.outcome === 'aborted')) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // …a disconnect is not a provider failure: the model's record is untouched.
    expect(h.gateway.registry.get('gpt-4o-mini').metrics.snapshot().failures).toBe(failuresBefore);
  });

  it('records the usage of a plain completion whose client went away before the engine settled', async () => {
    h.openai.enqueue({ hang: true });
    const { controller, request } = await abandonableCompletion('hang, then lose your client');
    const before = new Set((await h.store.usage.query({ user: 'alice' })).map((r) => r.requestId));
    controller.abort();
    await request;
    let rows: Awaited<ReturnType<typeof h.store.usage.query>> = [];
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      rows = (await h.store.usage.query({ user: 'alice' })).filter((r) => !before.has(r.requestId));
      if (rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(rows.map((r) => r.outcome)).toEqual(['aborted']);
  });

  it('has written the usage of a plain completion by the time its client has the answer', async () => {
    const raw = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count me' }] })
      .withResponse();
    const requestId = raw.response.headers.get('x-request-id');
    const rows = (await h.store.usage.query({ user: 'alice' })).filter(
      (r) => r.requestId === requestId,
    );
    expect(rows.map((r) => r.outcome)).toEqual(['success']);
  });

  it('embeds, in floats and in base64 (the SDK default)', async () => {
    const result = await client.embeddings.create({ model: 'embedder', input: ['a', 'b'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
    const floats = await client.embeddings.create({
      model: 'embedder',
      input: 'a',
      encoding_format: 'float',
    });
    expect(floats.data[0]?.embedding[0]).toBeCloseTo(result.data[0]!.embedding[0]!, 5);
    const noEmbed = await client.embeddings
      .create({ model: 'claude-haiku', input: 'a' })
      .catch((e: unknown) => e);
    expect((noEmbed as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });

  it('lists models with auto first', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids[0]).toBe('auto');
    expect(ids).toContain('gpt-4o-mini');
  });
});
