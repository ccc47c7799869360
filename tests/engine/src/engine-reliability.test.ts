import { AllModelsFailedError, type ChatChunk, TimeoutError } from '@orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, type Fleet, fleet } from './fleet.js';

let f: Fleet;
afterEach(async () => {
  await f?.close();
});

const PAIR = [
  { name: 'primary', id: 'gpt-4o', quality: 0.9 },
  { name: 'secondary', id: 'gpt-4o-mini', quality: 0.6 },
];

describe('retries and fallback through the real openai SDK', () => {
  it('429 with Retry-After: waits as told, then succeeds on the same model', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({
      status: 429,
      headers: { 'retry-after-ms': '120' },
      errorType: 'rate_limit_exceeded',
      match: { model: 'gpt-4o' },
    });
    const retries: number[] = [];
    f.engine.on('retry', (e) => retries.push(e.delayMs));
    const started = performance.now();
    const response = await f.engine.process({ ...ask('hello'), strategy: 'quality_optimal' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(retries).toEqual([120]);
    expect(response.modelUsed).toBe('primary');
    expect(response.attempts.map((a) => `${a.model}:${a.outcome}:${a.errorCode ?? ''}`)).toEqual([
      'primary:error:rate_limited',
      'primary:success:',
    ]);
    expect(f.server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);
  });

  it('a Retry-After beyond the deadline moves to the next model instead of waiting', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({ status: 429, headers: { 'retry-after': '30' }, match: { model: 'gpt-4o' } });
    const started = performance.now();
    const response = await f.engine.process({
      ...ask('hello'),
      strategy: 'quality_optimal',
      timeoutMs: 5_000,
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(response.modelUsed).toBe('secondary');
  });

  it('500 on the primary (every retry): falls back to the secondary', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({ status: 500, times: 3, match: { model: 'gpt-4o' } });
    const fallbacks: string[] = [];
    f.engine.on('fallback', (e) => fallbacks.push(`${e.from}:${e.reason}`));
    const response = await f.engine.process({ ...ask('hello'), strategy: 'quality_optimal' });
    expect(response.modelUsed).toBe('secondary');
    expect(response.attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual([
      'primary:error',
      'primary:error',
      'primary:error',
      'secondary:success',
    ]);
    expect(fallbacks).toEqual(['primary:provider_error']);
    expect(response.content).toContain('[simulated]');
  });

  it('a timeout is not retried on the same model (it may have been billed); it falls back', async () => {
    // 1 s per attempt: the hung primary times out; the healthy secondary has room even on a loaded machine.
    f = await fleet(PAIR, { timeouts: { attemptMs: 1_000 } });
    f.server.enqueue({ hang: true, match: { model: 'gpt-4o' } });
    const response = await f.engine.process({ ...ask('hello'), strategy: 'quality_optimal' });
    expect(response.modelUsed).toBe('secondary');
    expect(response.attempts[0]).toMatchObject({
      model: 'primary',
      outcome: 'timeout',
      possiblyBilled: true,
    });
    expect(response.attempts).toHaveLength(2);
  });

  it('non-retryable 400: no retry, no fallback; the caller gets the provider error', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({
      status: 400,
      errorType: 'invalid_request_error',
      errorMessage: 'Invalid value for temperature',
      match: { model: 'gpt-4o' },
    });
    await expect(
      f.engine.process({ ...ask('hello'), strategy: 'quality_optimal' }),
    ).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    expect(f.server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });

  it('401 takes the model out at once and falls back; the key never appears in what the caller sees', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({
      status: 401,
      errorType: 'invalid_api_key',
      errorMessage: 'Incorrect API key provided: sk-test-key-123456',
      match: { model: 'gpt-4o' },
    });
    const response = await f.engine.process({ ...ask('hello'), strategy: 'quality_optimal' });
    expect(response.modelUsed).toBe('secondary');
    expect(f.registry.getModelHealth('primary').breaker).toBe('open');
    expect(JSON.stringify(response)).not.toContain('sk-test-key-123456');
  });

  it('when every model fails, the error lists each attempt', async () => {
    f = await fleet(PAIR, { retry: { maxRetries: 0 } });
    f.server.enqueue({ status: 503, times: 2 });
    const error = await f.engine.process(ask('hello')).catch((e: unknown) => e);
    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expect((error as AllModelsFailedError).attempts.map((a) => a.outcome)).toEqual([
      'error',
      'error',
    ]);
  });

  it('the total deadline bounds every attempt together', async () => {
    f = await fleet(PAIR, { timeouts: { attemptMs: 10_000 } });
    f.server.enqueue({ hang: true, times: 2 });
    const started = performance.now();
    const error = await f.engine
      .process({ ...ask('hello'), timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(TimeoutError.isInstance(error) || AllModelsFailedError.isInstance(error)).toBe(true);
  });

  it('a caller abort stops the request, is not counted as a provider failure, and frees the upstream call', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({ hang: true, match: { model: 'gpt-4o' } });
    const controller = new AbortController();
    const pending = f.engine.process({
      ...ask('hello'),
      strategy: 'quality_optimal',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(f.registry.get('primary').metrics.failures).toBe(0);
    expect(f.registry.getModelHealth('primary').consecutiveFailures).toBe(0);
  });
});

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('streaming rules', () => {
  it('a stream cut after some tokens ends with an error chunk — no fake stop, no fallback text — and partial usage', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({ cutAfterChunks: 4, match: { model: 'gpt-4o' } });
    const stream = f.engine.stream({ ...ask('tell me a story'), strategy: 'quality_optimal' });
    const chunks = await collect(stream);
    const types = chunks.map((c) => c.type);
    expect(types.filter((t) => t === 'text-delta').length).toBeGreaterThan(0);
    expect(types.at(-1)).toBe('error');
    expect(types).not.toContain('finish');
    const response = await stream.response;
    expect(response).toMatchObject({ partial: true, finishReason: 'error', modelUsed: 'primary' });
    expect(response.content).toBe(
      chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join(''),
    );
    expect(f.server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });

  it('a stream that fails before its first token falls back cleanly; nothing of the failed attempt leaks', async () => {
    f = await fleet(PAIR);
    f.server.enqueue(
      { cutAfterChunks: 1, match: { model: 'gpt-4o' } },
      { status: 500, times: 2, match: { model: 'gpt-4o' } },
    );
    const stream = f.engine.stream({ ...ask('tell me a story'), strategy: 'quality_optimal' });
    const chunks = await collect(stream);
    expect(chunks.at(-1)?.type).toBe('finish');
    expect(chunks.some((c) => c.type === 'error')).toBe(false);
    const response = await stream.response;
    expect(response.modelUsed).toBe('secondary');
    expect(response.partial).toBe(false);
    const text = chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
    expect(text).toBe(response.content);
    expect(text).toContain('gpt-4o-mini');
  });

  it('a caller that stops reading at the finish chunk still gets the final record', async () => {
    f = await fleet(PAIR);
    const stream = f.engine.stream({ ...ask('hello'), strategy: 'quality_optimal' });
    for await (const chunk of stream) {
      if (chunk.type === 'finish') break;
    }
    const response = await Promise.race([
      stream.response,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('response never settled')), 2_000),
      ),
    ]);
    expect(response).toMatchObject({ modelUsed: 'primary', partial: false, finishReason: 'stop' });
  });

  it('stopping the iteration aborts the upstream call and is not a provider failure', async () => {
    f = await fleet(PAIR);
    f.server.enqueue({ chunkDelayMs: 50, match: { model: 'gpt-4o' } });
    const stream = f.engine.stream({ ...ask('tell me a long story'), strategy: 'quality_optimal' });
    for await (const chunk of stream) {
      if (chunk.type === 'text-delta') break;
    }
    expect(f.registry.get('primary').metrics.failures).toBe(0);
    expect(f.registry.getModelHealth('primary').breaker).toBe('closed');
  });
});
