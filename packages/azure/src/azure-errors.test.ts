import { once } from 'node:events';
import { inspect } from 'node:util';
import {
  AbortedError,
  AuthenticationError,
  type ChatRequest,
  ContentPolicyError,
  NetworkError,
  type OrchestratorError,
  OverloadedError,
  ProviderInternalError,
  RateLimitError,
} from '@orchestrator/core';
import type { FakeAzureServer, OpenAIFaultScript } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  FOUNDRY_KEY,
  foundryModel,
  GITHUB_TOKEN,
  githubModel,
  startFoundry,
  startGitHub,
  textOf,
} from './__tests__/helpers.js';
import type { AzureModel } from './azure-model.js';
import { AzureModel as Model } from './index.js';

let github: FakeAzureServer;
let foundry: FakeAzureServer;
beforeAll(async () => {
  [github, foundry] = await Promise.all([startGitHub(), startFoundry()]);
});
afterAll(() => Promise.all([github.close(), foundry.close()]));

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

async function failure(
  server: FakeAzureServer,
  model: AzureModel,
  script: OpenAIFaultScript,
): Promise<OrchestratorError> {
  server.enqueue(script);
  const error = await model.generate(hello).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as OrchestratorError;
}

function expectNoSecret(error: unknown, secret: string): void {
  const e = error as Error;
  for (const text of [
    e.message,
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 10 }),
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('content filtering', () => {
  it('a filtered prompt (400 content_filter) is a non-retryable content-policy error, on both services', async () => {
    for (const [server, model] of [
      [github, githubModel(github)],
      [foundry, foundryModel(foundry)],
    ] as const) {
      const error = await failure(server, model, { status: 400, errorType: 'content_filter' });
      expect(ContentPolicyError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({
        retryable: false,
        status: 400,
        providerCode: 'content_filter',
      });
    }
  });

  it('recognizes the filter by its inner error even when the message says nothing about it', async () => {
    const error = await failure(foundry, foundryModel(foundry), {
      status: 400,
      body: {
        error: {
          code: 'invalid_prompt',
          message: 'Your request was rejected.',
          innererror: { code: 'ResponsibleAIPolicyViolation' },
        },
      },
    });
    expect(ContentPolicyError.isInstance(error)).toBe(true);
  });

  it('a filtered completion finishes with content_filter, plain and streamed', async () => {
    foundry.enqueue({ text: 'partial', finishReason: 'content_filter' });
    const plain = await foundryModel(foundry).generate(hello);
    expect(plain).toMatchObject({
      finishReason: 'content_filter',
      rawFinishReason: 'content_filter',
      content: 'partial',
    });

    foundry.enqueue({ text: 'partial answer', finishReason: 'content_filter' });
    const chunks = await collect(foundryModel(foundry).stream(hello));
    expect(textOf(chunks)).toBe('partial answer');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'content_filter' });
  });
});

describe('service errors', () => {
  it('GitHub rate limits (RateLimitReached) carry the Retry-After wait', async () => {
    const error = await failure(github, githubModel(github), {
      status: 429,
      headers: { 'retry-after': '42' },
    });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      retryable: true,
      retryAfterMs: 42_000,
      providerCode: 'RateLimitReached',
    });
  });

  it('Foundry rate limits carry retry-after-ms', async () => {
    const error = await failure(foundry, foundryModel(foundry), {
      status: 429,
      headers: { 'retry-after-ms': '1500' },
    });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 1500, providerCode: '429' });
  });

  it('a bad GitHub token or Foundry key is an authentication error that never shows the secret', async () => {
    const badToken = 'ghp_BADTOKEN0123456789abcdefghijklmnopq';
    const gh = await failure(
      github,
      githubModel(github, 'openai/gpt-4o', { apiKey: badToken }),
      {},
    );
    expect(AuthenticationError.isInstance(gh)).toBe(true);
    expect(gh.message).toContain('Bad credentials');
    expectNoSecret(gh, badToken);

    const badKey = '00112233445566778899aabbccddeeff';
    const az = await failure(foundry, foundryModel(foundry, 'gpt-4o', { apiKey: badKey }), {});
    expect(AuthenticationError.isInstance(az)).toBe(true);
    expect(az.retryable).toBe(false);
    expectNoSecret(az, badKey);
  });

  it('a missing token fails at once, naming the variable to set', async () => {
    const before = github.requests.length;
    const model = new Model('openai/gpt-4o', {
      service: 'github',
      apiKey: '',
      baseURL: github.baseURL,
    });
    const error = await model.generate(hello).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('GITHUB_TOKEN');
    expect(github.requests.length).toBe(before);
  });

  it('5xx and overload are retryable', async () => {
    const internal = await failure(github, githubModel(github), { status: 500 });
    expect(ProviderInternalError.isInstance(internal)).toBe(true);
    expect(internal.retryable).toBe(true);
    const overloaded = await failure(foundry, foundryModel(foundry), { status: 503 });
    expect(OverloadedError.isInstance(overloaded)).toBe(true);
  });

  it('a stream cut mid-way ends with a network error chunk after its text', async () => {
    github.enqueue({ text: 'one two three four', cutAfterChunks: 4 });
    const chunks = await collect(githubModel(github).stream(hello));
    // The leading prompt-filter chunk and the role chunk carry no text.
    expect(textOf(chunks)).toBe('one two');
    const last = chunks.at(-1)!;
    expect(last.type === 'error' && NetworkError.isInstance(last.error)).toBe(true);
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
  });

  it('an abort cancels the upstream request', async () => {
    foundry.enqueue({ hang: true });
    const controller = new AbortController();
    const arrived = once(foundry.events, 'request');
    const closed = once(foundry.events, 'client-closed');
    const call = foundryModel(foundry).generate(hello, { signal: controller.signal });
    await arrived;
    controller.abort();
    expect(AbortedError.isInstance(await call.catch((e: unknown) => e))).toBe(true);
    await closed;
  });

  it('keys stay out of every error, including ones the service echoes', async () => {
    for (const [server, model, secret] of [
      [github, githubModel(github), GITHUB_TOKEN],
      [foundry, foundryModel(foundry), FOUNDRY_KEY],
    ] as const) {
      const error = await failure(server, model, {
        status: 400,
        errorMessage: `bad request from ${secret}`,
      });
      expectNoSecret(error, secret);
    }
  });
});
