import Anthropic from '@anthropic-ai/sdk';
import { countRequestTokens } from '@orchestrator/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';

let h: Harness;
let client: Anthropic;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = await h.key('bob');
  client = new Anthropic({ apiKey: key, baseURL: h.url, maxRetries: 0 });
});
afterAll(() => h.close());

describe('POST /v1/messages with the official @anthropic-ai/sdk', () => {
  it('answers a plain request with an OpenAI-backed model', async () => {
    const message = await client.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.content[0]?.type).toBe('text');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const sent = h.openai.lastRequest('/v1/chat')?.body as { messages: { role: string }[] };
    expect(sent.messages[0]?.role).toBe('system');
  });

  it('streams the exact event sequence with an OpenAI-backed model', async () => {
    const stream = client.messages.stream({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Stream something' }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types).toContain('content_block_delta');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content[0]?.type === 'text' && final.content[0].text.length).toBeGreaterThan(0);
  });

  it('names the answering model in a stream served from the cache, as in the stream that filled it', async () => {
    const ask = () =>
      client.messages
        .stream({
          model: 'auto',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'Stream the same thing twice' }],
        })
        .finalMessage();
    const first = await ask();
    const second = await ask();
    expect(first.model).not.toBe('auto');
    expect(second.model).toBe(first.model);
  });

  it('streams and returns tool use (input_json_delta) from an OpenAI-backed model', async () => {
    h.openai.enqueue(
      { toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] },
      { toolCalls: [{ name: 'lookup', arguments: '{"q":"y"}' }] },
    );
    const tools = [
      {
        name: 'lookup',
        input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } },
      },
    ];
    const plain = await client.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      tools,
      messages: [{ role: 'user', content: 'find x' }],
    });
    expect(plain.stop_reason).toBe('tool_use');
    const use = plain.content.find((b) => b.type === 'tool_use');
    expect(use?.type === 'tool_use' && use.input).toEqual({ q: 'x' });

    const stream = client.messages.stream({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      tools,
      messages: [{ role: 'user', content: 'find y' }],
    });
    const final = await stream.finalMessage();
    const streamed = final.content.find((b) => b.type === 'tool_use');
    expect(streamed?.type === 'tool_use' && streamed.input).toEqual({ q: 'y' });
    expect(final.stop_reason).toBe('tool_use');
  });

  it('works with an Anthropic-backed model too', async () => {
    const message = await client.messages.create({
      model: 'claude-haiku',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]?.type).toBe('text');
  });

  it('reports errors in Anthropic shape: 404, 400 naming the parameter, 401', async () => {
    const nf = await client.messages
      .create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(nf).toBeInstanceOf(Anthropic.NotFoundError);
    const body = (nf as InstanceType<typeof Anthropic.APIError>).error as {
      type: string;
      error: { type: string };
      request_id: string;
    };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('not_found_error');
    expect(body.request_id).toMatch(/^req_/);
    expect((nf as InstanceType<typeof Anthropic.APIError>).requestID).toBe(body.request_id);

    const bad = await client.messages
      .create({ model: 'gpt-4o-mini', max_tokens: -1, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect(JSON.stringify((bad as InstanceType<typeof Anthropic.APIError>).error)).toContain(
      'max_tokens',
    );

    const noKey = new Anthropic({ apiKey: 'orch_nope', baseURL: h.url, maxRetries: 0 });
    await expect(
      noKey.messages.create({
        model: 'gpt-4o-mini',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('sends a failure after the first token as event: error', async () => {
    h.openai.enqueue({ cutAfterChunks: 3, text: 'alpha beta gamma delta epsilon zeta eta theta' });
    const raw = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'greek letters' }],
      }),
    });
    const text = await raw.text();
    expect(text).toContain('event: error');
    expect(text).not.toContain('message_stop');

    // The SDK surfaces the same failure as an error from the stream.
    h.openai.enqueue({ cutAfterChunks: 3, text: 'alpha beta gamma delta epsilon zeta eta theta' });
    const stream = client.messages.stream({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'greek letters again' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
  });
});

describe('POST /v1/messages/count_tokens with the official @anthropic-ai/sdk', () => {
  const messages = [
    { role: 'user' as const, content: 'Count the tokens of this sentence, please.' },
    { role: 'assistant' as const, content: 'Sure.' },
    { role: 'user' as const, content: 'And of this one too, with a few more words in it.' },
  ];
  const normalized = {
    system: 'Be brief.',
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
  };

  it("counts with the named model's tokenizer, calls no upstream, and grows with tools", async () => {
    const upstreamBefore = h.openai.requests.length + h.anthropic.requests.length;
    const gpt = await client.messages.countTokens({
      model: 'gpt-4o-mini',
      system: 'Be brief.',
      messages,
    });
    expect(gpt.input_tokens).toBe(countRequestTokens(normalized, 'openai/gpt-4o-mini'));
    const claude = await client.messages.countTokens({
      model: 'claude-haiku',
      system: 'Be brief.',
      messages,
    });
    expect(claude.input_tokens).toBe(
      countRequestTokens(normalized, 'anthropic/claude-3-5-haiku-20241022'),
    );
    // Claude's tokenizer splits English finer than the OpenAI encodings: its estimate is higher.
    expect(claude.input_tokens).toBeGreaterThan(gpt.input_tokens);
    const withTools = await client.messages.countTokens({
      model: 'gpt-4o-mini',
      system: 'Be brief.',
      messages,
      tools: [
        {
          name: 'lookup',
          description: 'Looks a word up in the dictionary.',
          input_schema: { type: 'object', properties: { word: { type: 'string' } } },
        },
      ],
    });
    expect(withTools.input_tokens).toBeGreaterThan(gpt.input_tokens + 10);
    expect(h.openai.requests.length + h.anthropic.requests.length).toBe(upstreamBefore);
  });

  it('with model auto, counts for the model the orchestrator routes to', async () => {
    const counted = await client.messages.countTokens({ model: 'auto', messages });
    const route = await fetch(`${h.url}/api/v1/orchestrator/chat/route`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages }),
    });
    const { decision } = (await route.json()) as { decision: { model: string } };
    const id =
      decision.model === 'claude-haiku'
        ? 'anthropic/claude-3-5-haiku-20241022'
        : `openai/${decision.model === 'embedder' ? 'text-embedding-3-small' : decision.model}`;
    expect(counted.input_tokens).toBe(countRequestTokens({ messages }, id));
  });

  it("refuses an unknown model and a bad body in Anthropic's error shape", async () => {
    const missing = await client.messages
      .countTokens({ model: 'no-such-model', messages })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
    const bad = await client.messages
      .countTokens({ model: 'gpt-4o-mini', messages: [] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as Error).message).toMatch(/messages/);
  });
});
