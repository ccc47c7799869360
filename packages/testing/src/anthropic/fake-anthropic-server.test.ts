import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAnthropicServer } from './fake-anthropic-server.js';

const KEY = 'sk-ant-test-fake-0000';
const server = new FakeAnthropicServer({ apiKey: KEY });

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

const hello = {
  model: 'claude-haiku-4-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello' }],
};

/** Parses an SSE body into [event, data] pairs. */
function parseSse(text: string): [string, Record<string, unknown>][] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Record<
        string,
        unknown
      >;
      return [event, data];
    });
}

describe('FakeAnthropicServer', () => {
  it('answers a plain message with a Message object and a request-id', async () => {
    const res = await post('/v1/messages', hello);
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      stop_reason: 'end_turn',
    });
    const content = body.content as { type: string; text: string }[];
    expect(content[0]!.type).toBe('text');
    expect(content[0]!.text).toContain('[simulated]');
  });

  it('streams the exact Anthropic event sequence with cumulative usage', async () => {
    server.enqueue({
      text: 'Hi there',
      usage: { inputTokens: 10, cachedInputTokens: 4, outputTokens: 3 },
    });
    const res = await post('/v1/messages', { ...hello, stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    expect(events.map(([e]) => e)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const [event, data] of events) expect(data.type).toBe(event);
    expect(events[0]![1]).toMatchObject({
      message: {
        usage: { input_tokens: 6, cache_read_input_tokens: 4, cache_creation_input_tokens: 0 },
      },
    });
    expect(events[6]![1]).toMatchObject({
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 3 },
    });
  });

  it('streams tool input JSON in pieces and thinking deltas', async () => {
    const args = JSON.stringify({ city: 'Paris', unit: 'celsius', days: [1, 2, 3] });
    server.enqueue({
      thinking: 'Weather needs a tool.',
      toolCalls: [{ name: 'get_weather', arguments: args }],
    });
    const res = await post('/v1/messages', { ...hello, stream: true });
    const events = parseSse(await res.text());
    const deltas = events
      .filter(([e]) => e === 'content_block_delta')
      .map(([, d]) => d.delta as Record<string, string>);
    expect(deltas.some((d) => d.type === 'thinking_delta')).toBe(true);
    expect(deltas.some((d) => d.type === 'signature_delta')).toBe(true);
    const json = deltas.filter((d) => d.type === 'input_json_delta').map((d) => d.partial_json);
    expect(json.length).toBeGreaterThan(2);
    expect(json.join('')).toBe(args);
    const last = events.find(([e]) => e === 'message_delta')![1];
    expect(last).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('sends overloaded_error as the first event of a 200 stream, and mid-stream', async () => {
    server.enqueue({ overloadedEvent: true });
    const first = await post('/v1/messages', { ...hello, stream: true });
    expect(first.status).toBe(200);
    const events = parseSse(await first.text());
    expect(events).toHaveLength(1);
    expect(events[0]![0]).toBe('error');
    expect(events[0]![1]).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });

    server.enqueue({ text: 'one two three', errorEvent: { afterEvents: 4 } });
    const mid = parseSse(await (await post('/v1/messages', { ...hello, stream: true })).text());
    expect(mid.map(([e]) => e)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'error',
    ]);
  });

  it('answers errors in Anthropic shape with request-id and retry-after; 529 for overloaded', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '7' } }, { status: 529 });
    const limited = await post('/v1/messages', hello);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const body = (await limited.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(body.request_id).toBe(limited.headers.get('request-id'));
    const overloaded = await post('/v1/messages', hello);
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('checks the API key and the anthropic-version header', async () => {
    const wrong = await post('/v1/messages', hello, { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    const bearer = await post('/v1/messages', hello, {
      'x-api-key': '',
      authorization: `Bearer ${KEY}`,
    });
    expect(bearer.status).toBe(200);
    const noVersion = await post('/v1/messages', hello, { 'anthropic-version': '' });
    expect(noVersion.status).toBe(400);
  });

  it('validates the request like the API (max_tokens, tool results)', async () => {
    const noMax = await post('/v1/messages', {
      model: 'claude-haiku-4-5',
      messages: hello.messages,
    });
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const orphan = await post('/v1/messages', {
      ...hello,
      messages: [
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: '1' }] },
      ],
    });
    expect(orphan.status).toBe(400);
  });

  it('counts tokens and lists / retrieves models', async () => {
    const count = await post('/v1/messages/count_tokens', {
      model: 'claude-haiku-4-5',
      messages: hello.messages,
    });
    expect(await count.json()).toEqual({ input_tokens: 2 });
    const list = await fetch(`${server.url}/v1/models?limit=2`, {
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    });
    const page = (await list.json()) as {
      data: { id: string }[];
      has_more: boolean;
      last_id: string;
    };
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    expect(page.last_id).toBe(page.data[1]!.id);
    const missing = await fetch(`${server.url}/v1/models/claude-nope`, {
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    });
    expect(missing.status).toBe(404);
  });

  it('forces schema-shaped tool input when tool_choice names a tool', async () => {
    const res = await post('/v1/messages', {
      ...hello,
      tools: [
        {
          name: 'emit',
          input_schema: {
            type: 'object',
            properties: {
              n: { type: 'integer' },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      ],
      tool_choice: { type: 'tool', name: 'emit' },
    });
    const body = (await res.json()) as {
      content: { type: string; input: unknown }[];
      stop_reason: string;
    };
    expect(body.stop_reason).toBe('tool_use');
    expect(body.content[0]).toMatchObject({ type: 'tool_use', input: { n: 1, tags: ['example'] } });
  });

  it('follows model profiles when no script is queued: failures are 529 overloaded', async () => {
    const flaky = new FakeAnthropicServer({ profiles: { 'claude-flaky': { failureRate: 1 } } });
    await flaky.start();
    try {
      const res = await fetch(`${flaky.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'any',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({ ...hello, model: 'claude-flaky' }),
      });
      expect(res.status).toBe(529);
      expect(await res.json()).toMatchObject({
        type: 'error',
        error: { type: 'overloaded_error' },
      });
    } finally {
      await flaky.close();
    }
  });
});
