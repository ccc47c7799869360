import {
  AbortedError,
  InvalidResponseError,
  NetworkError,
  OverloadedError,
  ProviderInternalError,
  RateLimitError,
} from '@orchestrator/core';
import { describe, expect, it } from 'vitest';
import { collect, errorOf, lastBody, textOf, useFakeAnthropic } from './__tests__/fake-setup.js';

const { server, model } = useFakeAnthropic();
const hello = { messages: [{ role: 'user' as const, content: 'Stream please' }] };

describe('AnthropicModel.stream', () => {
  it('streams text deltas and ends with one finish carrying usage and cost', async () => {
    server.enqueue({
      text: 'One two three four',
      usage: { inputTokens: 20, cachedInputTokens: 5, outputTokens: 4 },
      keepAlive: true,
    });
    const chunks = await collect(model().stream(hello));
    expect(lastBody(server).stream).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.type === 'text-delta')).toBe(true);
    expect(textOf(chunks)).toBe('One two three four');
    const finish = chunks.at(-1)!;
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 20, cachedInputTokens: 5, outputTokens: 4, totalTokens: 24 },
      model: 'claude-haiku-4-5',
      warnings: [],
    });
    if (finish.type !== 'finish') throw new Error('no finish');
    expect(finish.id).toMatch(/^msg_/);
    expect(finish.costUsd).toBeCloseTo((15 * 1 + 5 * 0.1 + 4 * 5) / 1e6, 12);
  });

  it('streams tool calls as indexed deltas whose arguments concatenate to the JSON', async () => {
    const args = JSON.stringify({ city: 'São Paulo', units: 'metric', days: [1, 2, 3] });
    server.enqueue({
      text: 'Checking.',
      toolCalls: [
        { name: 'get_weather', arguments: args },
        { name: 'now', arguments: '' },
      ],
    });
    const chunks = await collect(
      model().stream({
        ...hello,
        tools: [
          { name: 'get_weather', parameters: { type: 'object' } },
          { name: 'now', parameters: {} },
        ],
      }),
    );
    expect(textOf(chunks)).toBe('Checking.');
    const deltas = chunks.filter((c) => c.type === 'tool-call-delta');
    const first = deltas.filter((d) => d.index === 0);
    expect(first[0]).toMatchObject({ name: 'get_weather', argumentsDelta: '' });
    expect(first[0]!.id).toMatch(/^toolu_/);
    expect(first.length).toBeGreaterThan(3);
    expect(first.map((d) => d.argumentsDelta).join('')).toBe(args);
    const second = deltas.filter((d) => d.index === 1);
    expect(second[0]).toMatchObject({ name: 'now' });
    expect(second.map((d) => d.argumentsDelta).join('')).toBe('{}');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('streams JSON output as text, for object and wrapped schemas', async () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' }, score: { type: 'number' } },
    };
    const chunks = await collect(
      model().stream({ ...hello, responseFormat: { type: 'json_schema', schema } }),
    );
    expect(chunks.some((c) => c.type === 'tool-call-delta')).toBe(false);
    expect(JSON.parse(textOf(chunks))).toEqual({ title: 'example', score: 1.5 });
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'tool_use',
    });

    const wrapped = await collect(
      model().stream({
        ...hello,
        responseFormat: { type: 'json_schema', schema: { type: 'string' } },
      }),
    );
    expect(JSON.parse(textOf(wrapped))).toBe('example');
  });

  it('skips thinking deltas but counts reasoning tokens', async () => {
    const chunks = await collect(
      model().stream({
        ...hello,
        maxTokens: 3000,
        providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 1024 } } },
      }),
    );
    expect(textOf(chunks)).toContain('[simulated]');
    expect(textOf(chunks)).not.toContain('Let me think');
    const finish = chunks.at(-1)!;
    expect(finish.type === 'finish' && finish.usage.reasoningTokens).toBeGreaterThan(0);
  });

  it('surfaces overloaded_error as the first event of a 200 stream as the only chunk', async () => {
    server.enqueue({ overloadedEvent: true, requestId: 'req_overloaded_1' });
    const chunks = await collect(model().stream(hello));
    expect(chunks).toHaveLength(1);
    const only = chunks[0]!;
    if (only.type !== 'error') throw new Error(`expected an error chunk, got ${only.type}`);
    expect(only.error).toBeInstanceOf(OverloadedError);
    expect(only.error.retryable).toBe(true);
    expect((only.error as OverloadedError).providerCode).toBe('overloaded_error');
    expect((only.error as OverloadedError).requestId).toBe('req_overloaded_1');
  });

  it('turns an error event in the middle of a stream into an error chunk after the text', async () => {
    server.enqueue({ text: 'alpha beta gamma delta', errorEvent: { afterEvents: 5 } });
    const chunks = await collect(model().stream(hello));
    expect(textOf(chunks)).toBe('alpha beta');
    const last = chunks.at(-1)!;
    expect(last.type).toBe('error');
    expect(errorOf(last)).toBeInstanceOf(OverloadedError);
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);

    server.enqueue({
      text: 'alpha beta',
      errorEvent: { afterEvents: 4, type: 'api_error', message: 'Internal server error' },
    });
    const internal = await collect(model().stream(hello));
    expect(errorOf(internal.at(-1))).toBeInstanceOf(ProviderInternalError);
  });

  it('maps an HTTP error before the stream to one error chunk', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '3' } });
    const chunks = await collect(model().stream(hello));
    expect(chunks).toHaveLength(1);
    const error = errorOf(chunks[0]);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
  });

  it('turns a malformed event into an InvalidResponseError after the text before it', async () => {
    server.enqueue({ text: 'one two three four', malformedAt: 5 });
    const chunks = await collect(model().stream(hello));
    expect(textOf(chunks)).toBe('one two');
    const last = chunks.at(-1)!;
    expect(errorOf(last)).toBeInstanceOf(InvalidResponseError);
    expect(chunks.filter((c) => c.type === 'error' || c.type === 'finish')).toHaveLength(1);
  });

  it('turns a cut connection into a NetworkError after the text, never a finish', async () => {
    server.enqueue({ text: 'one two three four five', cutAfterChunks: 6 });
    const chunks = await collect(model().stream(hello));
    expect(textOf(chunks)).toBe('one two three');
    const last = chunks.at(-1)!;
    expect(errorOf(last)).toBeInstanceOf(NetworkError);
    expect(last.type === 'error' && last.error.retryable).toBe(true);
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
  });

  it('aborts the upstream request when the caller aborts mid-stream', async () => {
    server.enqueue({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 50 });
    const controller = new AbortController();
    const closed = server.nextEarlyClose();
    const chunks = [];
    for await (const chunk of model().stream(hello, { signal: controller.signal })) {
      chunks.push(chunk);
      if (chunk.type === 'text-delta') controller.abort();
    }
    await closed;
    expect(textOf(chunks)).toBe('a');
    const last = chunks.at(-1)!;
    expect(errorOf(last)).toBeInstanceOf(AbortedError);
  });

  it('closes the upstream request when the consumer stops reading', async () => {
    server.enqueue({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 50 });
    const closed = server.nextEarlyClose();
    for await (const chunk of model().stream(hello)) {
      if (chunk.type === 'text-delta') break;
    }
    await closed;
    expect(server.connectionsClosedEarly).toBeGreaterThan(0);
  });
});
