import { inspect } from 'node:util';
import {
  AuthenticationError,
  type ChatRequest,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  type OrchestratorError,
  OverloadedError,
  ProviderInternalError,
  RateLimitError,
} from '@orchestrator/core';
import type { FakeOllamaServer, OllamaFaultScript } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect, startFakeOllama, textOf } from './__tests__/helpers.js';
import { OllamaModel } from './index.js';

let server: FakeOllamaServer;
let model: OllamaModel;
beforeAll(async () => {
  server = await startFakeOllama({ models: ['llama3.2'] });
  model = new OllamaModel('llama3.2', { host: server.url });
});
afterAll(() => server.close());

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };
const chat = (script: Omit<OllamaFaultScript, 'match'>): OllamaFaultScript => ({
  match: { path: '/api/chat' },
  ...script,
});

async function failure(
  script: OllamaFaultScript,
  m: OllamaModel = model,
): Promise<OrchestratorError> {
  server.enqueue(script);
  const error = await m.generate(hello).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to fail');
  // Streams report the same failure as one error chunk, never a throw.
  server.enqueue(script);
  const chunks = await collect(m.stream(hello));
  expect(chunks).toHaveLength(1);
  expect(chunks[0]!.type).toBe('error');
  const streamed = (chunks[0] as { error: OrchestratorError }).error;
  expect(streamed.constructor).toBe((error as object).constructor);
  return error as OrchestratorError;
}

describe('HTTP errors by meaning', () => {
  it('404 for a model the server lacks: invalid request, suggesting a pull', async () => {
    const missing = new OllamaModel('mistral', { host: server.url });
    const error = await failure(chat({}), missing);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      status: 404,
      retryable: false,
      providerCode: 'model_not_found',
      provider: 'ollama',
    });
    expect(error.message).toContain("model 'mistral' not found");
    expect(error.message).toContain('ollama pull mistral');
  });

  it('429 with Retry-After: rate limit, retryable, with the wait', async () => {
    const error = await failure(chat({ status: 429, headers: { 'retry-after': '7' } }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
  });

  it('401: authentication, not retryable', async () => {
    const error = await failure(chat({ status: 401 }));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('400: invalid request, with the server message', async () => {
    const error = await failure(chat({ status: 400, errorMessage: 'invalid options: num_ctx' }));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toBe('ollama (llama3.2): invalid options: num_ctx');
    expect(error.retryable).toBe(false);
  });

  it('context length', async () => {
    const error = await failure(
      chat({ status: 400, errorMessage: 'input length exceeds maximum context length' }),
    );
    expect(ContextLengthError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('content policy (hosted Ollama)', async () => {
    const error = await failure(
      chat({ status: 400, errorMessage: 'request blocked by content policy' }),
    );
    expect(ContentPolicyError.isInstance(error)).toBe(true);
  });

  it('500: provider internal, retryable', async () => {
    const error = await failure(chat({ status: 500 }));
    expect(ProviderInternalError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('an error was encountered while running the model');
  });

  it('503 "server busy" (OLLAMA_MAX_QUEUE full): overloaded, retryable', async () => {
    const error = await failure(chat({ status: 503, headers: { 'retry-after': '2' } }));
    expect(OverloadedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 2000 });
  });

  it('an HTML error page from a proxy: classified by status, summarized without markup', async () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
    const error = await failure(chat({ status: 502, body: html }));
    expect(ProviderInternalError.isInstance(error)).toBe(true);
    expect(error.message).toBe('ollama (llama3.2): HTTP 502: 502 Bad Gateway');
  });

  it('a 200 with a body that is not JSON: invalid response', async () => {
    server.enqueue(chat({ status: 200, body: '<html>oops</html>' }));
    const error = await model.generate(hello).catch((e: unknown) => e);
    expect(InvalidResponseError.isInstance(error)).toBe(true);
  });
});

describe('failures in the middle of a stream', () => {
  const text = 'alpha beta gamma delta epsilon';

  it('a malformed line: the text before it, then one typed error chunk', async () => {
    server.enqueue(chat({ text, malformedAt: 2 }));
    const chunks = await collect(model.stream(hello));
    expect(textOf(chunks)).toBe('alpha beta');
    const last = chunks.at(-1)!;
    expect(last.type).toBe('error');
    expect(InvalidResponseError.isInstance((last as { error: unknown }).error)).toBe(true);
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
  });

  it('a well-shaped line that is not JSON (which the SDK would skip): an error, never a finish', async () => {
    const line = (content: string, done = false) =>
      `${JSON.stringify({ model: 'llama3.2', created_at: '2026-01-01T00:00:00.000Z', message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop', eval_count: 3 } : {}) })}\n`;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      server.enqueue(
        chat({
          status: 200,
          body: `${line('alpha')}{"message": {"content": " beta"}, oops}\n${line(' gamma')}${line('', true)}`,
        }),
      );
      const chunks = await collect(model.stream(hello));
      // The whole body came in one read, so the line after the bad one came through too;
      // what matters is that the stream ends in an error, not in a finish.
      expect(textOf(chunks)).toBe('alpha gamma');
      expect(chunks.some((c) => c.type === 'finish')).toBe(false);
      const error = (chunks.at(-1) as { error: OrchestratorError }).error;
      expect(InvalidResponseError.isInstance(error)).toBe(true);
      expect(error.message).toContain('malformed line');
      expect(error.message).toContain('oops');
      // The same as the final line: the stream must not look complete.
      server.enqueue(chat({ status: 200, body: `${line('alpha')}{"done": true, oops}\n` }));
      const cut = await collect(model.stream(hello));
      expect(textOf(cut)).toBe('alpha');
      expect(InvalidResponseError.isInstance((cut.at(-1) as { error: unknown }).error)).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it('an {"error"} line: the text before it, then a provider error chunk, no finish', async () => {
    server.enqueue(
      chat({
        text,
        streamErrorAfter: 3,
        errorMessage: 'llama runner process has terminated: signal: killed',
      }),
    );
    const chunks = await collect(model.stream(hello));
    expect(textOf(chunks)).toBe('alpha beta gamma');
    const error = (chunks.at(-1) as { error: OrchestratorError }).error;
    expect(ProviderInternalError.isInstance(error)).toBe(true);
    expect(error.message).toContain('llama runner process has terminated');
    expect(chunks.filter((c) => c.type === 'finish' || c.type === 'error')).toHaveLength(1);
  });

  it('an {"error"} line in a non-streamed answer is an HTTP error', async () => {
    server.enqueue(chat({ status: 500, errorMessage: 'llama runner process has terminated' }));
    const error = await model.generate(hello).catch((e: unknown) => e);
    expect(ProviderInternalError.isInstance(error)).toBe(true);
  });

  it('a cut connection: the text before it, then a network error chunk', async () => {
    server.enqueue(chat({ text, cutAfterChunks: 2 }));
    const chunks = await collect(model.stream(hello));
    expect(textOf(chunks)).toBe('alpha beta');
    const error = (chunks.at(-1) as { error: OrchestratorError }).error;
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, possiblyBilled: true });
  });
});

describe('connection failures', () => {
  it('connection refused: network error, not billed, saying where', async () => {
    const closed = await startFakeOllama();
    const url = closed.url;
    await closed.close();
    const down = new OllamaModel('llama3.2', { host: url });
    const error = (await down.generate(hello).catch((e: unknown) => e)) as NetworkError;
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, possiblyBilled: false });
    expect(error.message).toContain(`cannot reach Ollama at ${url} (ECONNREFUSED)`);
    const chunks = await collect(down.stream(hello));
    expect(chunks).toHaveLength(1);
    expect(NetworkError.isInstance((chunks[0] as { error: unknown }).error)).toBe(true);
    const health = await down.healthCheck();
    expect(health.healthy).toBe(false);
    expect(health.message).toContain('ECONNREFUSED');
  });
});

describe('secrets', () => {
  const apiKey = 'ollama-secret-key-6d1f0c9a';

  it('never puts the API key in a message, a serialized error or its inspection', async () => {
    const hosted = await startFakeOllama({ models: ['llama3.2'], apiKey: 'the-right-key' });
    try {
      const keyed = new OllamaModel('llama3.2', { host: hosted.url, apiKey });
      // The server rejects the key, and (badly) echoes it back.
      hosted.enqueue({
        match: { path: '/api/chat' },
        status: 401,
        errorMessage: `invalid key ${apiKey}`,
      });
      const echoed = (await keyed.generate(hello).catch((e: unknown) => e)) as OrchestratorError;
      expect(AuthenticationError.isInstance(echoed)).toBe(true);
      const plain = (await keyed.generate(hello).catch((e: unknown) => e)) as OrchestratorError;
      expect(AuthenticationError.isInstance(plain)).toBe(true);
      hosted.enqueue({
        match: { path: '/api/chat' },
        text: 'x',
        streamErrorAfter: 0,
        errorMessage: `boom ${apiKey}`,
      });
      const streamed = (await collect(keyed.stream(hello))).at(-1) as { error: OrchestratorError };
      hosted.enqueue({ match: { path: '/api/chat' }, text: 'x', malformedAt: 0 });
      const malformed = (await collect(keyed.stream(hello))).at(-1) as { error: OrchestratorError };
      for (const error of [echoed, plain, streamed.error, malformed.error]) {
        expect(error.message).not.toContain(apiKey);
        expect(JSON.stringify(error)).not.toContain(apiKey);
        expect(inspect(error, { depth: 10 })).not.toContain(apiKey);
      }
      expect(echoed.message).toContain('[REDACTED]');
      expect(hosted.lastRequest('/api/chat')!.headers.authorization).toBe(`Bearer ${apiKey}`);
    } finally {
      await hosted.close();
    }
  });
});
