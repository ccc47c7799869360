import {
  AbortedError,
  type ChatChunk,
  type ChatRequest,
  type OrchestratorError,
  TimeoutError,
} from '@orchestrator/core';
import type { FakeOllamaServer } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startFakeOllama, textOf } from './__tests__/helpers.js';
import { OllamaModel } from './index.js';

let server: FakeOllamaServer;
let model: OllamaModel;
beforeAll(async () => {
  server = await startFakeOllama({ models: ['llama3.2', 'nomic-embed-text'] });
  model = new OllamaModel('llama3.2', { host: server.url });
});
afterAll(() => server.close());

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };
const slowText = 'one two three four five six seven eight nine ten eleven twelve';

function errorOf(chunks: readonly ChatChunk[]): OrchestratorError {
  const last = chunks.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error chunk, got ${last?.type}`);
  return last.error;
}

describe('cancellation by the caller', () => {
  it('aborting a plain call closes its upstream connection', async () => {
    server.enqueue({ match: { path: '/api/chat' }, hang: true });
    const controller = new AbortController();
    const arrived = server.nextRequest('/api/chat');
    const closed = server.nextClose('/api/chat');
    const call = model.generate(hello, { signal: controller.signal }).catch((e: unknown) => e);
    await arrived;
    controller.abort();
    expect(AbortedError.isInstance(await call)).toBe(true);
    expect(await closed).toEqual({ path: '/api/chat', completed: false });
  });

  it('aborting a stream mid-way: the text so far, one aborted error chunk, the connection closed', async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: slowText, chunkDelayMs: 30 });
    const controller = new AbortController();
    const closed = server.nextClose('/api/chat');
    const chunks: ChatChunk[] = [];
    for await (const chunk of model.stream(hello, { signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    expect(textOf(chunks)).toBe('one two');
    expect(AbortedError.isInstance(errorOf(chunks))).toBe(true);
    expect(errorOf(chunks).retryable).toBe(false);
    expect(await closed).toEqual({ path: '/api/chat', completed: false });
  });

  it('aborting one call leaves the other calls of the same model running', async () => {
    const scripts = { match: { path: '/api/chat' }, text: slowText, chunkDelayMs: 10 };
    server.enqueue(scripts, scripts, { match: { path: '/api/chat' }, hang: true });
    const controller = new AbortController();
    const aborted: ChatChunk[] = [];
    const abortedRun = (async () => {
      for await (const chunk of model.stream(hello, { signal: controller.signal })) {
        aborted.push(chunk);
        if (aborted.length === 1) controller.abort();
      }
    })();
    const other = collect(model.stream(hello));
    const hung = new AbortController();
    const plain = model.generate(hello, { signal: hung.signal }).catch((e: unknown) => e);
    await abortedRun;
    hung.abort();
    expect(AbortedError.isInstance(errorOf(aborted))).toBe(true);
    const completed = await other;
    expect(textOf(completed)).toBe(slowText);
    expect(completed.at(-1)?.type).toBe('finish');
    expect(AbortedError.isInstance(await plain)).toBe(true);
  });

  it('breaking out of a stream early closes its upstream connection', async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: slowText, chunkDelayMs: 20 });
    const closed = server.nextClose('/api/chat');
    for await (const chunk of model.stream(hello)) {
      expect(chunk.type).toBe('text-delta');
      break;
    }
    expect(await closed).toEqual({ path: '/api/chat', completed: false });
  });

  it('an already aborted signal fails at once without a request', async () => {
    const before = server.requests.length;
    const signal = AbortSignal.abort();
    expect(
      AbortedError.isInstance(await model.generate(hello, { signal }).catch((e: unknown) => e)),
    ).toBe(true);
    expect(AbortedError.isInstance(errorOf(await collect(model.stream(hello, { signal }))))).toBe(
      true,
    );
    const embedder = new OllamaModel('nomic-embed-text', { host: server.url });
    expect(
      AbortedError.isInstance(
        await embedder.embed({ input: 'x' }, { signal }).catch((e: unknown) => e),
      ),
    ).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it('aborting an embedding closes its connection', async () => {
    const embedder = new OllamaModel('nomic-embed-text', { host: server.url });
    server.enqueue({ match: { path: '/api/embed' }, hang: true });
    const controller = new AbortController();
    const arrived = server.nextRequest('/api/embed');
    const closed = server.nextClose('/api/embed');
    const call = embedder
      .embed({ input: 'x' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await arrived;
    controller.abort();
    expect(AbortedError.isInstance(await call)).toBe(true);
    expect((await closed).completed).toBe(false);
  });
});

describe('timeouts', () => {
  it('a call that gets no answer times out and closes its connection', async () => {
    server.enqueue({ match: { path: '/api/chat' }, hang: true });
    const closed = server.nextClose('/api/chat');
    const error = (await model
      .generate(hello, { timeoutMs: 80 })
      .catch((e: unknown) => e)) as TimeoutError;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      retryable: true,
      possiblyBilled: true,
      provider: 'ollama',
      model: 'llama3.2',
    });
    expect((await closed).completed).toBe(false);
  });

  it('the model timeout applies when the call sets none', async () => {
    const slow = new OllamaModel('llama3.2', { host: server.url, timeoutMs: 80 });
    expect(slow.constraints.timeoutMs).toBe(80);
    server.enqueue({ match: { path: '/api/chat' }, hang: true });
    expect(TimeoutError.isInstance(await slow.generate(hello).catch((e: unknown) => e))).toBe(true);
  });

  it('a stream that runs past its timeout ends with a timeout error chunk after its text', async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: slowText, chunkDelayMs: 150 });
    const chunks = await collect(model.stream(hello, { timeoutMs: 400 }));
    expect(TimeoutError.isInstance(errorOf(chunks))).toBe(true);
    expect(chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(0);
    expect(slowText.startsWith(textOf(chunks))).toBe(true);
  });

  it("with both a caller's signal and a timeout, either ends a stream, each as what it is", async () => {
    server.enqueue({ match: { path: '/api/chat' }, text: slowText, chunkDelayMs: 150 });
    const timedOut = await collect(
      model.stream(hello, { signal: new AbortController().signal, timeoutMs: 400 }),
    );
    expect(TimeoutError.isInstance(errorOf(timedOut))).toBe(true);

    server.enqueue({ match: { path: '/api/chat' }, text: slowText, chunkDelayMs: 150 });
    const closed = server.nextClose('/api/chat');
    const controller = new AbortController();
    const chunks: ChatChunk[] = [];
    for await (const chunk of model.stream(hello, {
      signal: controller.signal,
      timeoutMs: 5_000,
    })) {
      chunks.push(chunk);
      if (chunk.type === 'text-delta') controller.abort();
    }
    expect(AbortedError.isInstance(errorOf(chunks))).toBe(true);
    expect((await closed).completed).toBe(false);
  });

  it('a health check honours its signal', async () => {
    server.enqueue({ match: { path: '/api/tags' }, hang: true });
    const health = await model.healthCheck(AbortSignal.timeout(80));
    expect(health.healthy).toBe(false);
    expect(health.message).toContain('timed out');
  });
});
