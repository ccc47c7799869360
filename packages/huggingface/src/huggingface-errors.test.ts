import { inspect } from 'node:util';
import {
  AbortedError,
  AuthenticationError,
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
import { FakeHuggingFaceServer, huggingFaceLoadingScript } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import {
  ask,
  collect,
  endpointModel,
  KEY,
  LLAMA,
  routerModel,
  textOf,
  useFakeServer,
} from './__tests__/hf-fixtures.js';
import { ModelLoadingError } from './huggingface-error.js';
import { HuggingFaceModel } from './huggingface-model.js';

const fake = useFakeServer();

async function failure(promise: Promise<unknown>): Promise<OrchestratorError> {
  try {
    await promise;
  } catch (error) {
    return error as OrchestratorError;
  }
  throw new Error('expected the call to fail');
}

describe('HTTP errors classify by meaning', () => {
  const cases: [
    string,
    Parameters<FakeHuggingFaceServer['enqueue']>[0],
    abstract new (...a: never[]) => Error,
    boolean,
  ][] = [
    ['401 bad token', { status: 401 }, AuthenticationError, false],
    ['403 no permission', { status: 403 }, AuthenticationError, false],
    ['402 out of credits', { status: 402 }, QuotaExceededError, false],
    ['400 bad request', { status: 400 }, InvalidRequestError, false],
    ['404 unknown model', { status: 404 }, InvalidRequestError, false],
    ['422 TGI validation', { status: 422 }, InvalidRequestError, false],
    [
      '422 TGI context overflow',
      {
        status: 422,
        errorMessage:
          'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 8192. Given: 8000 `inputs` tokens and 500 `max_new_tokens`',
      },
      ContextLengthError,
      false,
    ],
    [
      '400 content policy',
      { status: 400, errorMessage: 'The prompt was blocked by the content filter' },
      ContentPolicyError,
      false,
    ],
    ['500 server error', { status: 500 }, ProviderInternalError, true],
    [
      '502 HTML page',
      { status: 502, body: '<html><body>Bad Gateway</body></html>' },
      ProviderInternalError,
      true,
    ],
    ['503 unavailable', { status: 503 }, ProviderInternalError, true],
    ['429 TGI overloaded', { status: 429, errorType: 'overloaded' }, OverloadedError, true],
  ];
  it.each(cases)('%s', async (_label, script, expected, retryable) => {
    fake.server.enqueue(script);
    const error = await failure(endpointModel(fake.server).generate(ask('x')));
    expect(error).toBeInstanceOf(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(/^huggingface \(meta-llama\/Llama-3\.1-8B-Instruct\): /);
  });

  it('429 rate limit carries Retry-After', async () => {
    fake.server.enqueue({
      status: 429,
      errorType: 'rate_limit',
      errorMessage: 'Rate limit reached',
      headers: { 'retry-after': '7' },
    });
    const error = await failure(endpointModel(fake.server).generate(ask('x')));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect((error as RateLimitError).requestId).toMatch(/^fake-hf-/);
  });

  it('503 "is currently loading" is a retryable overload carrying the estimated time', async () => {
    fake.server.enqueue(huggingFaceLoadingScript(LLAMA, 20.5));
    const error = await failure(endpointModel(fake.server).generate(ask('x')));
    expect(ModelLoadingError.isInstance(error)).toBe(true);
    expect(OverloadedError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect((error as ModelLoadingError).retryAfterMs).toBe(20_500);
    expect((error as ModelLoadingError).estimatedTimeMs).toBe(20_500);
    expect(error.message).toContain('is currently loading');
    expect(fake.server.requests).toHaveLength(1); // the SDK's own endless 503 retry is off
  });

  it('reads the message of OpenAI-shaped provider errors behind the router', async () => {
    fake.server.enqueue({
      status: 400,
      errorMessage: "This model's maximum context length is 8192 tokens",
    });
    const error = await failure(
      routerModel(fake.server, { provider: 'together' }).generate(ask('x')),
    );
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error.message).toContain('maximum context length');
  });

  it('a malformed JSON body is an invalid response', async () => {
    fake.server.enqueue({ status: 200, body: '{"choices": [' });
    const error = await failure(endpointModel(fake.server).generate(ask('x')));
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it('a reply of the wrong shape is an invalid response', async () => {
    fake.server.enqueue({ status: 200, body: { object: 'chat.completion', choices: [] } });
    const error = await failure(endpointModel(fake.server).generate(ask('x')));
    expect(error).toBeInstanceOf(InvalidResponseError);
  });
});

describe('errors in streams arrive as one error chunk after the text before them', () => {
  it('an HTTP error before the stream starts', async () => {
    fake.server.enqueue({
      status: 429,
      errorMessage: 'Rate limit reached',
      headers: { 'retry-after': '2' },
    });
    const chunks = await collect(endpointModel(fake.server).stream(ask('x')));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.type === 'error' && chunks[0].error).toBeInstanceOf(RateLimitError);
  });

  it('a malformed event mid-stream', async () => {
    fake.server.enqueue({ text: 'alpha beta gamma delta', malformedAt: 2 });
    const chunks = await collect(endpointModel(fake.server).stream(ask('x')));
    expect(textOf(chunks)).toBe('alpha beta');
    expect(chunks.at(-1)?.type === 'error' && chunks.at(-1)).toMatchObject({
      error: expect.any(InvalidResponseError),
    });
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
  });

  it('a connection cut mid-stream: a network error, never a fake finish', async () => {
    fake.server.enqueue({ text: 'alpha beta gamma delta', cutAfterChunks: 2 });
    const chunks = await collect(endpointModel(fake.server).stream(ask('x')));
    expect(textOf(chunks)).toBe('alpha beta');
    const last = chunks.at(-1)!;
    expect(last.type).toBe('error');
    if (last.type === 'error') {
      expect(last.error).toBeInstanceOf(NetworkError);
      expect((last.error as NetworkError).possiblyBilled).toBe(true);
    }
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
  });

  it('an error event inside a 200 stream (TGI overloaded)', async () => {
    fake.server.enqueue({ overloadedEvent: true });
    const chunks = await collect(endpointModel(fake.server).stream(ask('x')));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.type === 'error' && chunks[0].error).toBeInstanceOf(OverloadedError);
  });

  it('keep-alive comments change nothing', async () => {
    fake.server.enqueue({ text: 'one two', keepAlive: true });
    const chunks = await collect(endpointModel(fake.server).stream(ask('x')));
    expect(textOf(chunks)).toBe('one two');
    expect(chunks.at(-1)?.type).toBe('finish');
  });
});

describe('cancellation, timeouts and connection failures', () => {
  it('an abort cancels the upstream request', async () => {
    fake.server.enqueue({ hang: true });
    const controller = new AbortController();
    const closed = fake.server.nextClientAbort();
    const call = endpointModel(fake.server).generate(ask('x'), { signal: controller.signal });
    while (fake.server.requests.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    expect(await failure(call)).toBeInstanceOf(AbortedError);
    expect(await closed).toBe('/v1/chat/completions');
  });

  it('an abort mid-stream ends it with an aborted error chunk and closes the connection', async () => {
    fake.server.enqueue({ text: 'one two three four five six', chunkDelayMs: 200 });
    const controller = new AbortController();
    const closed = fake.server.nextClientAbort();
    const chunks = [];
    for await (const chunk of endpointModel(fake.server).stream(ask('x'), {
      signal: controller.signal,
    })) {
      chunks.push(chunk);
      if (chunk.type === 'text-delta') controller.abort();
    }
    expect(chunks.map((c) => c.type)).toEqual(['text-delta', 'error']);
    expect(chunks[1]?.type === 'error' && chunks[1].error).toBeInstanceOf(AbortedError);
    await closed;
  });

  it('a consumer that stops reading closes the upstream connection', async () => {
    fake.server.enqueue({ text: 'one two three four five six', chunkDelayMs: 200 });
    const closed = fake.server.nextClientAbort();
    for await (const chunk of endpointModel(fake.server).stream(ask('x'))) {
      if (chunk.type === 'text-delta') break;
    }
    await closed;
  });

  it('a timeout is a TimeoutError, possibly billed', async () => {
    fake.server.enqueue({ hang: true });
    const error = await failure(endpointModel(fake.server, { timeoutMs: 60 }).generate(ask('x')));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).possiblyBilled).toBe(true);
    expect(error.message).toContain('60 ms');
  });

  it('a per-call timeout overrides the model default', async () => {
    fake.server.enqueue({ hang: true });
    const error = await failure(endpointModel(fake.server).generate(ask('x'), { timeoutMs: 40 }));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('a refused connection is a retryable network error, not billed', async () => {
    const gone = new FakeHuggingFaceServer();
    const url = await gone.start();
    await gone.close();
    const model = new HuggingFaceModel({ model: LLAMA, endpointUrl: url, apiKey: KEY });
    const error = await failure(model.generate(ask('x')));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(true);
    expect((error as NetworkError).possiblyBilled).toBe(false);
  });
});

describe('secrets', () => {
  it('never leaks the key, even when the provider echoes it', async () => {
    const echo = `Invalid token ${KEY} for Authorization: Bearer ${KEY}`;
    fake.server.enqueue({ status: 401, errorMessage: echo }, { status: 500, errorMessage: echo });
    const model = endpointModel(fake.server);
    const errors = [
      await failure(model.generate(ask('x'))),
      await failure(model.generate(ask('x'))),
    ];
    fake.server.enqueue({ status: 400, errorMessage: echo });
    const streamed = await collect(model.stream(ask('x')));
    if (streamed[0]?.type === 'error') errors.push(streamed[0].error);
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      expect(error.message).not.toContain(KEY);
      expect(JSON.stringify(error)).not.toContain(KEY);
      expect(inspect(error, { depth: 10 })).not.toContain(KEY);
      expect(String(error.stack)).not.toContain(KEY);
    }
  });

  it('redacts credential-like configured headers too', async () => {
    const secret = 'gateway-secret-0123456789';
    fake.server.enqueue({ status: 403, errorMessage: `header x-gateway-token=${secret} rejected` });
    const model = endpointModel(fake.server, { headers: { 'x-gateway-token': secret } });
    const error = await failure(model.generate(ask('x')));
    expect(fake.server.lastRequest()!.headers['x-gateway-token']).toBe(secret);
    expect(inspect(error, { depth: 10 })).not.toContain(secret);
  });
});
