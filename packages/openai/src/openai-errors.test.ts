import { once } from 'node:events';
import { inspect } from 'node:util';
import {
  AbortedError,
  AuthenticationError,
  type ChatChunk,
  type ChatRequest,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  type OrchestratorError,
  OverloadedError,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
} from '@orchestrator/core';
import type { FakeOpenAIServer, OpenAIFaultScript } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, collect, modelOn, startServer, textOf } from './__tests__/helpers.js';
import { OpenAIModel } from './index.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startServer({ echoKeyInErrors: true });
});
afterAll(() => server.close());

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

async function failure(
  script: OpenAIFaultScript,
  model = modelOn(server),
): Promise<OrchestratorError> {
  server.enqueue(script);
  const error = await model.generate(hello).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as OrchestratorError;
}

function expectNoKey(error: unknown, key = API_KEY): void {
  const e = error as Error;
  for (const text of [
    e.message,
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 10 }),
  ]) {
    expect(text).not.toContain(key);
  }
}

describe('HTTP errors classify by meaning', () => {
  it('429 with Retry-After is a retryable rate limit that carries the wait', async () => {
    const before = server.requests.length;
    const error = await failure({ status: 429, headers: { 'retry-after': '2' } });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
      status: 429,
      providerCode: 'rate_limit_exceeded',
    });
    expect((error as RateLimitError).requestId).toMatch(/^req_/);
    // The SDK's own retries are off: one request only.
    expect(server.requests.length - before).toBe(1);

    const ms = await failure({ status: 429, headers: { 'retry-after-ms': '350' } });
    expect(ms).toMatchObject({ retryAfterMs: 350 });
  });

  it('429 insufficient_quota is a non-retryable quota error', async () => {
    const error = await failure({ status: 429, errorType: 'insufficient_quota' });
    expect(QuotaExceededError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('401 is an authentication error and the key it echoes is redacted everywhere', async () => {
    const wrongKey = 'sk-proj-WRONGKEY9876543210zyxwvu';
    const error = await failure({}, modelOn(server, 'gpt-4o-mini', { apiKey: wrongKey }));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, status: 401, providerCode: 'invalid_api_key' });
    expect(error.message).toContain('Incorrect API key provided');
    expectNoKey(error, wrongKey);
  });

  it('400, context length and content policy are distinct, non-retryable errors', async () => {
    const bad = await failure({
      status: 400,
      errorMessage: "Invalid type for 'messages[0].content'.",
    });
    expect(InvalidRequestError.isInstance(bad)).toBe(true);
    expect(ContextLengthError.isInstance(bad)).toBe(false);
    expect(bad.retryable).toBe(false);

    const long = await failure({ status: 400, errorType: 'context_length_exceeded' });
    expect(ContextLengthError.isInstance(long)).toBe(true);
    expect(long.retryable).toBe(false);

    const policy = await failure({ status: 400, errorType: 'content_policy_violation' });
    expect(ContentPolicyError.isInstance(policy)).toBe(true);
    expect(policy.retryable).toBe(false);
  });

  it('a request the API refuses (unknown model) is not retryable', async () => {
    const strictServer = await startServer({ rejectUnknownModels: true });
    try {
      const error = await modelOn(strictServer, 'gpt-9-imaginary')
        .generate(hello)
        .catch((e: unknown) => e);
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({
        status: 404,
        providerCode: 'model_not_found',
        retryable: false,
      });
    } finally {
      await strictServer.close();
    }
  });

  it('500 and 503 overloaded are retryable provider failures', async () => {
    const internal = await failure({ status: 500 });
    expect(ProviderInternalError.isInstance(internal)).toBe(true);
    expect(internal.retryable).toBe(true);

    const overloaded = await failure({ status: 503, headers: { 'retry-after': '1' } });
    expect(OverloadedError.isInstance(overloaded)).toBe(true);
    expect(overloaded).toMatchObject({ retryable: true, retryAfterMs: 1000 });
  });

  it('an HTML error page becomes a short, typed error', async () => {
    const html =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>';
    const error = await failure({ status: 502, body: html });
    expect(ProviderInternalError.isInstance(error)).toBe(true);
    expect(error.message).toContain('502 Bad Gateway');
    expect(error.message).not.toContain('<h1>');
  });

  it('a 200 that is not a completion is an invalid response', async () => {
    const html = await failure({ body: '<html><body>captive portal</body></html>' });
    expect(InvalidResponseError.isInstance(html)).toBe(true);
    const shape = await failure({ body: { choices: 'nope' } });
    expect(InvalidResponseError.isInstance(shape)).toBe(true);
  });

  it('a missing key for api.openai.com fails at once, without a request', async () => {
    const model = new OpenAIModel('gpt-4o', { apiKey: '', baseURL: 'https://api.openai.com/v1' });
    const error = await model.generate(hello).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('OPENAI_API_KEY');
    const chunks = await collect(model.stream(hello));
    expect(chunks).toHaveLength(1);
    const [only] = chunks;
    expect(only?.type === 'error' && AuthenticationError.isInstance(only.error)).toBe(true);
  });
});

describe('stream failures arrive as one error chunk after the text', () => {
  const only = (chunks: ChatChunk[]) =>
    chunks.filter((c) => c.type === 'finish' || c.type === 'error');
  const errorOf = (chunks: ChatChunk[]) => {
    const last = chunks.at(-1)!;
    if (last.type !== 'error') throw new Error(`expected an error chunk, got ${last.type}`);
    return last.error;
  };

  it('a malformed chunk', async () => {
    server.enqueue({ text: 'one two three four', malformedAt: 3 });
    const chunks = await collect(modelOn(server).stream(hello));
    expect(textOf(chunks)).toBe('one two');
    expect(only(chunks)).toHaveLength(1);
    expect(InvalidResponseError.isInstance(errorOf(chunks))).toBe(true);
  });

  it('a connection cut mid-stream', async () => {
    server.enqueue({ text: 'one two three four', cutAfterChunks: 3 });
    const chunks = await collect(modelOn(server).stream(hello));
    expect(textOf(chunks)).toBe('one two');
    expect(only(chunks)).toHaveLength(1);
    const error = errorOf(chunks);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, possiblyBilled: true });
  });

  it('an error event inside a 200 stream', async () => {
    server.enqueue({ text: 'one two three four', errorEventAt: 3 });
    const chunks = await collect(modelOn(server).stream(hello));
    expect(textOf(chunks)).toBe('one two');
    expect(ProviderInternalError.isInstance(errorOf(chunks))).toBe(true);

    server.enqueue({ overloadedEvent: true });
    const overloaded = await collect(modelOn(server).stream(hello));
    expect(overloaded).toHaveLength(1);
    expect(OverloadedError.isInstance(errorOf(overloaded))).toBe(true);
  });

  it('a stream that ends without a finish reason', async () => {
    // Record a real stream, then replay only its first events (role, "one", " two") and end cleanly.
    server.enqueue({ text: 'one two' });
    const raw = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }),
    }).then((r) => r.text());
    const events = raw
      .split('\n\n')
      .filter(Boolean)
      .slice(0, 3)
      .map((e) => `${e}\n\n`)
      .join('');
    server.enqueue({ body: events, headers: { 'content-type': 'text/event-stream' } });
    const chunks = await collect(modelOn(server).stream(hello));
    expect(textOf(chunks)).toBe('one two');
    const error = errorOf(chunks);
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error.message).toContain('without a finish reason');
  });

  it('an HTTP error before the first chunk', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '3' } });
    const chunks = await collect(modelOn(server).stream(hello));
    expect(chunks).toHaveLength(1);
    expect(errorOf(chunks)).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
  });
});

describe('cancellation, timeouts and connection failures', () => {
  it('an abort cancels the upstream request', async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const arrived = once(server.events, 'request');
    const closed = once(server.events, 'client-closed');
    const call = modelOn(server).generate(hello, { signal: controller.signal });
    await arrived;
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).retryable).toBe(false);
    await closed;
  });

  it('an abort mid-stream ends the stream with an aborted error and closes the connection', async () => {
    server.enqueue({ text: 'one two three four five six', chunkDelayMs: 30 });
    const controller = new AbortController();
    const closed = once(server.events, 'client-closed');
    const chunks: ChatChunk[] = [];
    for await (const chunk of modelOn(server).stream(hello, { signal: controller.signal })) {
      chunks.push(chunk);
      if (chunk.type === 'text-delta') controller.abort();
    }
    await closed;
    expect(textOf(chunks)).toBe('one');
    expect(chunks).toHaveLength(2);
    const last = chunks[1];
    expect(last?.type === 'error' && AbortedError.isInstance(last.error)).toBe(true);
  });

  it('a consumer that stops reading closes the upstream connection', async () => {
    server.enqueue({ text: 'one two three four five six', chunkDelayMs: 30 });
    const closed = once(server.events, 'client-closed');
    for await (const chunk of modelOn(server).stream(hello)) {
      if (chunk.type === 'text-delta') break;
    }
    await closed;
  });

  it('a timeout is a retryable timeout error, and the connection is closed', async () => {
    server.enqueue({ hang: true });
    const closed = once(server.events, 'client-closed');
    const error = await modelOn(server, 'gpt-4o-mini', { timeoutMs: 100 })
      .generate(hello)
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, possiblyBilled: true });
    await closed;

    server.enqueue({ text: 'one two three', chunkDelayMs: 200 });
    const chunks = await collect(modelOn(server).stream(hello, { timeoutMs: 100 }));
    const last = chunks.at(-1)!;
    expect(last.type === 'error' && TimeoutError.isInstance(last.error)).toBe(true);
  });

  it('a refused connection is a retryable network error that was not billed', async () => {
    const gone = await startServer();
    const model = modelOn(gone);
    await gone.close();
    const error = await model.generate(hello).catch((e: unknown) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      retryable: true,
      possiblyBilled: false,
      providerCode: 'ECONNREFUSED',
    });
    expectNoKey(error);
  });

  it('no error of any kind carries the configured key', async () => {
    const scripts: OpenAIFaultScript[] = [
      { status: 400, errorMessage: `bad key ${API_KEY} in request` },
      { status: 500, body: `<html><title>${API_KEY}</title></html>` },
      { errorEventAt: 1, errorMessage: `stream failed for ${API_KEY}` },
    ];
    for (const script of scripts) {
      server.enqueue(script);
      const chunks = await collect(modelOn(server).stream(hello));
      const last = chunks.at(-1)!;
      expect(last.type).toBe('error');
      if (last.type === 'error') expectNoKey(last.error);
    }
  });
});
