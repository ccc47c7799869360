import { inspect } from 'node:util';
import {
  AbortedError,
  AuthenticationError,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  OrchestratorError,
  OverloadedError,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
} from '@orchestrator/core';
import { describe, expect, it } from 'vitest';
import { API_KEY, collect, errorOf, MODEL, useFakeAnthropic } from './__tests__/fake-setup.js';
import { AnthropicModel } from './anthropic-model.js';

const { server, model } = useFakeAnthropic();
const hello = { messages: [{ role: 'user' as const, content: 'Hi' }] };

async function failure(promise: Promise<unknown>): Promise<OrchestratorError> {
  try {
    await promise;
  } catch (error) {
    if (OrchestratorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('AnthropicModel errors', () => {
  it('429 with retry-after is a retryable RateLimitError with the wait and the request id', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '7' }, requestId: 'req_rl_1' });
    const error = await failure(model().generate(hello));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect((error as RateLimitError).requestId).toBe('req_rl_1');
    expect((error as RateLimitError).providerCode).toBe('rate_limit_error');
    expect(server.requests).toHaveLength(1); // SDK retries are off
  });

  it('529 is a retryable OverloadedError', async () => {
    server.enqueue({ status: 529 });
    const error = await failure(model().generate(hello));
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('Overloaded');
  });

  it.each([
    [{ status: 401 }, AuthenticationError, false],
    [{ status: 403 }, AuthenticationError, false],
    [
      { status: 400, errorMessage: 'messages.0.content: Input should be a valid list' },
      InvalidRequestError,
      false,
    ],
    [
      { status: 400, errorMessage: 'prompt is too long: 210000 tokens > 200000 maximum' },
      ContextLengthError,
      false,
    ],
    [
      { status: 400, errorMessage: 'Output blocked by content filtering policy' },
      ContentPolicyError,
      false,
    ],
    [
      { status: 400, errorMessage: 'Your credit balance is too low to access the Anthropic API.' },
      QuotaExceededError,
      false,
    ],
    [{ status: 404, errorMessage: 'model: claude-nope' }, InvalidRequestError, false],
    [{ status: 500 }, ProviderInternalError, true],
    [
      { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
      ProviderInternalError,
      true,
    ],
  ] as const)('%j maps to %o (retryable %s)', async (script, kind, retryable) => {
    server.enqueue(script);
    const error = await failure(model().generate(hello));
    expect(error).toBeInstanceOf(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.message).not.toContain('<html>');
  });

  it('a wrong key is an AuthenticationError that never shows the key', async () => {
    const badKey = 'sk-ant-api03-SECRETSECRET0123456789xyz';
    const error = await failure(model({ apiKey: badKey }).generate(hello));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.retryable).toBe(false);
    for (const text of [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      String(error.stack),
    ]) {
      expect(text).not.toContain(badKey);
      expect(text).not.toContain('SECRETSECRET');
    }
  });

  it('redacts the key when an error body echoes it', async () => {
    server.enqueue({ status: 400, errorMessage: `bad header x-api-key: ${API_KEY}` });
    const error = await failure(model().generate(hello));
    expect(error.message).not.toContain(API_KEY);
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY);
    expect(error.message).toContain('[REDACTED]');
  });

  it('with no key at all fails before any request', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const m = new AnthropicModel({ model: MODEL, baseURL: server.url });
      const error = await failure(m.generate(hello));
      expect(error).toBeInstanceOf(AuthenticationError);
      const chunks = await collect(m.stream(hello));
      expect(chunks).toHaveLength(1);
      expect(errorOf(chunks[0])).toBeInstanceOf(AuthenticationError);
      expect(server.requests).toHaveLength(0);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('a 200 that is not a Message is an InvalidResponseError', async () => {
    server.enqueue({ status: 200, body: { hello: 'world' } });
    expect(await failure(model().generate(hello))).toBeInstanceOf(InvalidResponseError);
  });

  it('a refused connection is a retryable NetworkError', async () => {
    const probe = new AnthropicModel({
      model: MODEL,
      apiKey: API_KEY,
      baseURL: 'http://127.0.0.1:9',
    });
    const error = await failure(probe.generate(hello));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(API_KEY);
  });

  it('the caller aborting cancels the upstream request', async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const closed = server.nextEarlyClose();
    const received = server.nextRequest();
    const call = model().generate(hello, { signal: controller.signal });
    await received; // abort once the server holds the request
    controller.abort();
    const error = await failure(call);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.retryable).toBe(false);
    await closed;
  });

  it('an already-aborted signal fails at once without a request', async () => {
    const error = await failure(model().generate(hello, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    const chunks = await collect(model().stream(hello, { signal: AbortSignal.abort() }));
    expect(chunks).toHaveLength(1);
    expect(errorOf(chunks[0])).toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it('a caller signal that times out is reported as a TimeoutError', async () => {
    server.enqueue({ hang: true });
    const error = await failure(model().generate(hello, { signal: AbortSignal.timeout(100) }));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('a call that outlives its timeout is a TimeoutError and its connection is closed', async () => {
    server.enqueue({ hang: true });
    const closed = server.nextEarlyClose();
    const error = await failure(model().generate(hello, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(true);
    await closed;

    server.enqueue({ hang: true });
    const chunks = await collect(model({ timeoutMs: 150 }).stream(hello));
    expect(chunks).toHaveLength(1);
    expect(errorOf(chunks[0])).toBeInstanceOf(TimeoutError);
  });

  it('countTokens maps errors as well', async () => {
    server.enqueue({ status: 529, match: { path: '/v1/messages/count_tokens' } });
    expect(await failure(model().countTokens(hello))).toBeInstanceOf(OverloadedError);
  });
});
