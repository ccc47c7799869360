import {
  AbortedError,
  type ChatChunk,
  InvalidResponseError,
  NetworkError,
  OverloadedError,
  ProviderInternalError,
  RateLimitError,
  TimeoutError,
} from '@orchestrator/core';
import { FakeGeminiServer } from '@orchestrator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, KEY, modelFor, startServer, textOf } from './__tests__/fixtures.js';

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

const ask = (content = 'Explain streams.') => ({ messages: [{ role: 'user' as const, content }] });
const types = (chunks: readonly ChatChunk[]) => chunks.map((c) => c.type);
const lastError = (chunks: readonly ChatChunk[]) => {
  const last = chunks.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error chunk, got ${last?.type}`);
  return last.error;
};

describe('stream', () => {
  it('streams text deltas then one finish with usage and cost, matching generate', async () => {
    const model = modelFor(server);
    const chunks = await collect(model.stream(ask()));
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(request.query.get('alt')).toBe('sse');
    expect(request.headers['x-goog-api-key']).toBe(KEY);
    expect(types(chunks).filter((t) => t === 'text-delta').length).toBeGreaterThan(3);
    expect(types(chunks).slice(-1)).toEqual(['finish']);
    expect(types(chunks).filter((t) => t === 'finish')).toHaveLength(1);
    const finish = chunks.at(-1)!;
    if (finish.type !== 'finish') throw new Error('no finish');
    expect(finish.finishReason).toBe('stop');
    expect(finish.rawFinishReason).toBe('STOP');
    expect(finish.model).toBe('gemini-2.5-flash');
    expect(finish.id).toMatch(/^fake-/);
    expect(finish.usage.inputTokens).toBeGreaterThan(0);
    expect(finish.usage.outputTokens).toBeGreaterThan(0);
    expect(finish.costUsd).toBeGreaterThan(0);
    const generated = await model.generate(ask());
    expect(textOf(chunks)).toBe(generated.content);
    expect(finish.usage.outputTokens).toBe(generated.usage.outputTokens);
  });

  it('ignores keep-alive comments and works with LF line endings', async () => {
    const lf = new FakeGeminiServer({ apiKey: KEY, lineEnding: '\n' });
    await lf.start();
    try {
      lf.enqueue({ text: 'one two three', keepAlive: true });
      const chunks = await collect(modelFor(lf).stream(ask()));
      expect(textOf(chunks)).toBe('one two three');
      expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    } finally {
      await lf.close();
    }
  });

  it('reports usage with reasoning tokens from the last chunk', async () => {
    server.enqueue({
      text: 'a b',
      usage: { inputTokens: 50, outputTokens: 10, reasoningTokens: 40, cachedInputTokens: 20 },
    });
    const chunks = await collect(modelFor(server, 'gemini-2.5-pro').stream(ask()));
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      usage: {
        inputTokens: 50,
        cachedInputTokens: 20,
        outputTokens: 50,
        reasoningTokens: 40,
        totalTokens: 100,
      },
      costUsd: (30 * 1.25 + 20 * 0.125 + 50 * 10) / 1e6,
    });
  });

  it('maps MAX_TOKENS and SAFETY finishes', async () => {
    server.enqueue({ text: 'cut short', finishReason: 'MAX_TOKENS' });
    expect((await collect(modelFor(server).stream(ask()))).at(-1)).toMatchObject({
      finishReason: 'length',
    });
    server.enqueue({ text: '', finishReason: 'SAFETY' });
    const blocked = await collect(modelFor(server).stream(ask()));
    expect(types(blocked)).toEqual(['finish']);
    expect(blocked[0]).toMatchObject({ finishReason: 'content_filter', rawFinishReason: 'SAFETY' });
  });

  it('puts the warnings on the finish chunk', async () => {
    const chunks = await collect(modelFor(server).stream({ ...ask(), presencePenalty: 1 }));
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      warnings: [expect.objectContaining({ setting: 'presencePenalty' })],
    });
  });
});

describe('stream failures end with one error chunk after the text that came before', () => {
  it('a cut connection → NetworkError after the first chunks, never a finish', async () => {
    server.enqueue({ text: 'alpha beta gamma delta epsilon', cutAfterChunks: 3 });
    const chunks = await collect(modelFor(server).stream(ask()));
    expect(types(chunks)).toEqual(['text-delta', 'text-delta', 'text-delta', 'error']);
    expect(textOf(chunks)).toBe('alpha beta gamma');
    const error = lastError(chunks);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });

  it('a malformed chunk → InvalidResponseError after the chunks before it', async () => {
    server.enqueue({ text: 'alpha beta gamma delta', malformedAt: 2 });
    const chunks = await collect(modelFor(server).stream(ask()));
    expect(types(chunks)).toEqual(['text-delta', 'text-delta', 'error']);
    expect(InvalidResponseError.isInstance(lastError(chunks))).toBe(true);
  });

  it('an error event mid-stream → classified error after the text', async () => {
    server.enqueue({
      text: 'alpha beta gamma delta',
      errorEventAfter: 2,
      errorMessage: `leak ${KEY}`,
    });
    const chunks = await collect(modelFor(server).stream(ask()));
    expect(types(chunks)).toEqual(['text-delta', 'text-delta', 'error']);
    const error = lastError(chunks);
    expect(ProviderInternalError.isInstance(error)).toBe(true);
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(KEY);
  });

  it('an "overloaded" first event in a 200 stream → OverloadedError, retryable', async () => {
    server.enqueue({ overloadedEvent: true });
    const chunks = await collect(modelFor(server).stream(ask()));
    expect(types(chunks)).toEqual(['error']);
    const error = lastError(chunks);
    expect(OverloadedError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });

  it('a 429 before the stream starts → RateLimitError chunk', async () => {
    server.enqueue({ status: 429, retryDelay: '4s' });
    const chunks = await collect(modelFor(server).stream(ask()));
    expect(types(chunks)).toEqual(['error']);
    const error = lastError(chunks);
    expect(RateLimitError.isInstance(error) && error.retryAfterMs).toBe(4000);
  });

  it('a stream that ends cleanly without a finish reason → error, not a made-up finish', async () => {
    const event = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'half' }] }, index: 0 }],
    };
    server.enqueue({ status: 200, body: `data: ${JSON.stringify(event)}\r\n\r\n` });
    const chunks = await collect(modelFor(server).stream(ask()));
    expect(types(chunks)).toEqual(['text-delta', 'error']);
    expect(InvalidResponseError.isInstance(lastError(chunks))).toBe(true);
  });

  it('an abort mid-stream → AbortedError chunk, and the server sees the connection close', async () => {
    server.enqueue({ text: 'one two three four five six seven eight', chunkDelayMs: 30 });
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const seen: ChatChunk[] = [];
    for await (const chunk of modelFor(server).stream(ask(), { signal: controller.signal })) {
      seen.push(chunk);
      if (chunk.type === 'text-delta') controller.abort();
    }
    expect(types(seen)).toEqual(['text-delta', 'error']);
    expect(AbortedError.isInstance(lastError(seen))).toBe(true);
    expect(await (await arrived).closed).toEqual({ completed: false });
  });

  it('a consumer that stops reading closes the upstream connection', async () => {
    server.enqueue({ text: 'one two three four five six seven eight', chunkDelayMs: 30 });
    const arrived = server.nextRequest();
    for await (const chunk of modelFor(server).stream(ask())) {
      if (chunk.type === 'text-delta') break;
    }
    expect(await (await arrived).closed).toEqual({ completed: false });
  });

  it('a timeout while streaming → TimeoutError chunk after the text', async () => {
    server.enqueue({ text: 'one two three', chunkDelayMs: 1_000 });
    const chunks = await collect(modelFor(server).stream(ask(), { timeoutMs: 150 }));
    expect(types(chunks)).toEqual(['text-delta', 'error']);
    const error = lastError(chunks);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });
});

describe('byte-exact SSE parsing', () => {
  it('gives the identical result whatever byte the stream is split at (UTF-8, CRLF)', async () => {
    const text = 'héllo 世界 🎉';
    const script = { text, usage: { inputTokens: 3, outputTokens: 5 } };
    // Record the raw body once, to know how many offsets there are.
    server.enqueue(script);
    const raw = await fetch(
      `${server.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
      },
    );
    const body = Buffer.from(await raw.arrayBuffer());
    expect(body.includes('\r\n\r\n')).toBe(true);
    expect(body.length).toBeLessThan(800);

    const model = modelFor(server);
    // Response ids differ from one response to the next; everything else must not.
    const normalize = (chunks: ChatChunk[]): ChatChunk[] =>
      chunks.map((c) => {
        if (c.type !== 'finish') return c;
        const { id: _id, ...rest } = c;
        return rest;
      });
    server.enqueue(script);
    const baseline = normalize(await collect(model.stream(ask())));
    expect(textOf(baseline)).toBe(text);
    expect(baseline.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 5 },
    });

    // Every offset gets split at. Three offsets a third of the body apart share a response: each
    // cut lands in a different event, and the machine is spared two thirds of the round trips.
    const stride = Math.ceil(body.length / 3);
    for (let first = 1; first <= stride; first++) {
      const splitAt = [first, first + stride, first + 2 * stride].filter((n) => n < body.length);
      server.enqueue({ ...script, splitAt });
      const chunks = normalize(await collect(model.stream(ask())));
      // Compare cheaply, report precisely.
      if (JSON.stringify(chunks) !== JSON.stringify(baseline))
        expect({ splitAt, chunks }).toEqual({ splitAt, chunks: baseline });
    }
  }, 60_000);
});
