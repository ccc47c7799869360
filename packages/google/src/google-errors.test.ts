import { inspect } from 'node:util';
import {
  AbortedError,
  AuthenticationError,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  OverloadedError,
  ProviderError,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
} from '@orchestrator/core';
import { FakeGeminiServer, googleErrorBody, googleRetryInfo } from '@orchestrator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, KEY, modelFor, startServer } from './__tests__/fixtures.js';

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

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (!ProviderError.isInstance(error)) throw error;
    return error;
  }
  throw new Error('expected the call to fail');
}

function expectNoKey(error: unknown): void {
  expect(String((error as Error).message)).not.toContain(KEY);
  expect(JSON.stringify(error)).not.toContain(KEY);
  expect(inspect(error, { depth: 10 })).not.toContain(KEY);
}

describe('errors classify by meaning', () => {
  it('429 with RetryInfo → RateLimitError with retryAfterMs, one request only', async () => {
    server.enqueue({ status: 429, retryDelay: '7s' });
    const before = server.requests.length;
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.providerCode).toBe('RESOURCE_EXHAUSTED');
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect(error.message).toMatch(/^google \(gemini-2\.5-flash\): You exceeded your current quota/);
    expect(server.requests.length - before).toBe(1);
  });

  it('429 with only a Retry-After header → RateLimitError honouring the header', async () => {
    server.enqueue({
      status: 429,
      body: googleErrorBody(429, { message: 'Resource has been exhausted.' }),
      headers: { 'retry-after': '2' },
    });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
  });

  it('429 with a garbage retry delay → no retryAfterMs', async () => {
    server.enqueue({
      status: 429,
      body: googleErrorBody(429, { details: [googleRetryInfo('soon')] }),
    });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it('429 for an exhausted daily quota → QuotaExceededError, not retryable', async () => {
    server.enqueue({ status: 429, quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.retryable).toBe(false);
  });

  it('a wrong key (Gemini answers 400 API_KEY_INVALID) → AuthenticationError, key not echoed', async () => {
    const other = new FakeGeminiServer({ apiKey: 'AIzaSyOTHER-key-000000000000000000000' });
    await other.start();
    try {
      const error = await failure(modelFor(other).generate(ask));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(400);
      expect(error.message).toContain('API key not valid');
      expectNoKey(error);
    } finally {
      await other.close();
    }
  });

  it.each([
    [401, undefined, AuthenticationError, false],
    [403, undefined, AuthenticationError, false],
    [400, undefined, InvalidRequestError, false],
    [404, 'models/gemini-9 is not found for API version v1beta', InvalidRequestError, false],
    [
      400,
      'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).',
      ContextLengthError,
      false,
    ],
    [500, undefined, ProviderInternalError, true],
    [503, undefined, OverloadedError, true],
    [504, undefined, ProviderInternalError, true],
  ] as const)('%i %s → %o', async (status, errorMessage, expected, retryable) => {
    server.enqueue({ status, ...(errorMessage ? { errorMessage } : {}) });
    const before = server.requests.length;
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(server.requests.length - before).toBe(1);
  });

  it('503 overloaded carries its RetryInfo', async () => {
    server.enqueue({
      status: 503,
      body: googleErrorBody(503, { details: [googleRetryInfo('1.5s')] }),
    });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).retryAfterMs).toBe(1500);
  });

  it('an HTML error page → classified by status, message stripped of markup', async () => {
    server.enqueue({
      status: 502,
      body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
    });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(ProviderInternalError);
    expect(error.status).toBe(502);
    expect(error.message).toContain('Bad Gateway');
    expect(error.message).not.toMatch(/<[a-z]/i);
  });

  it('an HTML page with status 200 → InvalidResponseError', async () => {
    server.enqueue({ status: 200, body: '<html><body>Sign in</body></html>' });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.retryable).toBe(true);
  });

  it('surprise shapes in a 200 answer → InvalidResponseError, never a raw TypeError', async () => {
    for (const body of [
      { candidates: 'none' },
      { candidates: [{ content: { parts: { text: 'not a list' } }, finishReason: 'STOP' }] },
      [1, 2, 3],
    ]) {
      server.enqueue({ status: 200, body });
      const error = await failure(modelFor(server).generate(ask));
      expect(error).toBeInstanceOf(InvalidResponseError);
    }
    const odd = {
      candidates: [
        { content: { parts: [null, { text: 'ok' }, { functionCall: 'x' }] }, finishReason: 7 },
      ],
      usageMetadata: { promptTokenCount: '12', candidatesTokenCount: 3 },
    };
    server.enqueue({ status: 200, body: odd });
    const response = await modelFor(server).generate(ask);
    expect(response.content).toBe('ok');
    expect(response.usage).toMatchObject({ outputTokens: 3 });
    expect(response.usage.inputTokens).toBeUndefined();

    const event = { candidates: [{ content: { parts: { text: 'x' } } }] };
    server.enqueue({ status: 200, body: `data: ${JSON.stringify(event)}\r\n\r\n` });
    const chunks = await collect(modelFor(server).stream(ask));
    expect(chunks.map((c) => c.type)).toEqual(['error']);
    expect(chunks[0]!.type === 'error' && InvalidResponseError.isInstance(chunks[0]!.error)).toBe(
      true,
    );
  });

  it('a blocked prompt → ContentPolicyError (generate) and an error chunk (stream)', async () => {
    server.enqueue({ blockReason: 'SAFETY' });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(ContentPolicyError);
    expect(error.retryable).toBe(false);
    expect(error.providerCode).toBe('SAFETY');

    server.enqueue({ blockReason: 'PROHIBITED_CONTENT' });
    const chunks = await collect(modelFor(server).stream(ask));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ type: 'error' });
    expect(chunks[0]!.type === 'error' && ContentPolicyError.isInstance(chunks[0]!.error)).toBe(
      true,
    );
  });

  it('a refused connection → NetworkError, retryable, not billed', async () => {
    const gone = new FakeGeminiServer();
    const url = await gone.start();
    await gone.close();
    const model = modelFor(server, 'gemini-2.5-flash', { baseURL: url });
    const error = await failure(model.generate(ask));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(true);
    expect((error as NetworkError).possiblyBilled).toBe(false);
    const chunks = await collect(model.stream(ask));
    expect(chunks.map((c) => c.type)).toEqual(['error']);
    expect(chunks[0]!.type === 'error' && NetworkError.isInstance(chunks[0]!.error)).toBe(true);
  });
});

describe('secrets', () => {
  it('never repeats the key, even when the provider echoes it', async () => {
    const echo = `API key ${KEY} is not valid for https://generativelanguage.googleapis.com/v1beta/models?key=${KEY}`;
    server.enqueue({ status: 403, errorMessage: echo });
    const error = await failure(modelFor(server).generate(ask));
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoKey(error);
    expect(error.message).toContain('[REDACTED]');

    server.enqueue({ status: 500, errorMessage: echo });
    const streamed = await collect(modelFor(server).stream(ask));
    const last = streamed.at(-1)!;
    expect(last.type).toBe('error');
    expectNoKey(last.type === 'error' ? last.error : undefined);

    server.enqueue({ errorEventAfter: 0, errorMessage: echo });
    const midStream = await collect(modelFor(server).stream(ask));
    expectNoKey(
      midStream.at(-1)!.type === 'error'
        ? (midStream.at(-1) as { error: unknown }).error
        : undefined,
    );
  });
});

describe('cancellation and timeouts', () => {
  it('an abort cancels the upstream request', async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const arrived = server.nextRequest('/v1beta/models/gemini-2.5-flash:generateContent');
    const call = modelFor(server).generate(ask, { signal: controller.signal });
    const { closed } = await arrived;
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(await closed).toEqual({ completed: false });
  });

  it('a signal aborted before the call → AbortedError without a request', async () => {
    const before = server.requests.length;
    await expect(
      modelFor(server).generate(ask, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests.length).toBe(before);
  });

  it('a timeout → TimeoutError (possibly billed) and the upstream request is closed', async () => {
    server.enqueue({ hang: true });
    const arrived = server.nextRequest();
    const error = await failure(modelFor(server).generate(ask, { timeoutMs: 60 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(true);
    expect((error as TimeoutError).possiblyBilled).toBe(true);
    expect(await (await arrived).closed).toEqual({ completed: false });
  });

  it("with both a caller's signal and a timeout, either ends the call, each as what it is", async () => {
    server.enqueue({ hang: true });
    const timedOut = await failure(
      modelFor(server).generate(ask, { signal: new AbortController().signal, timeoutMs: 60 }),
    );
    expect(timedOut).toBeInstanceOf(TimeoutError);
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const call = modelFor(server).generate(ask, { signal: controller.signal, timeoutMs: 5_000 });
    const { closed } = await arrived;
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(await closed).toEqual({ completed: false });
  });

  it('the model timeout applies when the call sets none', async () => {
    server.enqueue({ hang: true });
    const error = await failure(
      modelFor(server, 'gemini-2.5-flash', { timeoutMs: 60 }).generate(ask),
    );
    expect(error).toBeInstanceOf(TimeoutError);
  });
});
