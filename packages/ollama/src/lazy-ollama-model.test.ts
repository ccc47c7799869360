import {
  type ChatRequest,
  InvalidRequestError,
  type OrchestratorError,
  ProviderInternalError,
  TimeoutError,
} from '@orchestrator/core';
import type { FakeOllamaServer } from '@orchestrator/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, startFakeOllama, textOf } from './__tests__/helpers.js';
import { createLazyOllamaModel, type LazyOllamaEvent, LazyOllamaModel } from './index.js';

let server: FakeOllamaServer;
beforeEach(async () => {
  server = await startFakeOllama({ models: [] });
});
afterEach(() => server.close());

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };
const paths = () => server.requests.map((r) => r.path);
const count = (path: string) => paths().filter((p) => p === path).length;

describe('LazyOllamaModel', () => {
  it('does no network at construction', async () => {
    const model = new LazyOllamaModel('llama3.2', { host: server.url });
    expect(model.isReady).toBe(false);
    expect(server.requests).toEqual([]);
  });

  it('serves an installed model without pulling it', async () => {
    server.installModel('llama3.2');
    const events: LazyOllamaEvent[] = [];
    const model = createLazyOllamaModel('llama3.2', {
      host: server.url,
      onEvent: (e) => events.push(e),
    });
    const response = await model.generate(hello);
    expect(response.content).toContain('[simulated]');
    await model.generate(hello);
    expect(paths()).toEqual(['/api/tags', '/api/chat', '/api/chat']);
    expect(events).toEqual([{ type: 'ready', model: 'llama3.2', pulled: false }]);
  });

  it('pulls a missing model with progress events, then serves it', async () => {
    const model = new LazyOllamaModel('llama3.1:8b', { host: server.url });
    const progress: Extract<LazyOllamaEvent, { type: 'pull-progress' }>[] = [];
    const order: string[] = [];
    model.on('pull-progress', (e) => progress.push(e));
    model.on('*', (e) => order.push(e.type));
    const response = await model.generate(hello);
    expect(response.finishReason).toBe('stop');
    expect(paths()).toEqual(['/api/tags', '/api/pull', '/api/chat']);
    expect(server.lastRequest('/api/pull')!.body).toEqual({ name: 'llama3.1:8b', stream: true });
    expect(server.hasModel('llama3.1:8b')).toBe(true);
    expect(order[0]).toBe('pull-start');
    expect(order.at(-1)).toBe('ready');
    expect(progress.map((p) => p.status)).toContain('pulling manifest');
    expect(progress.at(-1)).toMatchObject({ status: 'success', model: 'llama3.1:8b' });
    const last = progress.at(-1)!;
    expect(last.totalBytes).toBeGreaterThan(4e9);
    expect(last.completedBytes).toBe(last.totalBytes);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.completedBytes).toBeGreaterThanOrEqual(progress[i - 1]!.completedBytes);
    }
    expect(
      progress.some((p) => p.digest?.startsWith('sha256:') && p.completedBytes < p.totalBytes),
    ).toBe(true);
    expect(model.isReady).toBe(true);
  });

  it('fifty concurrent first calls cause exactly one check and one pull', async () => {
    server.enqueue({ match: { path: '/api/pull' }, chunkDelayMs: 2 });
    const model = new LazyOllamaModel('qwen2.5-coder:7b', { host: server.url });
    let ready = 0;
    model.on('ready', () => ready++);
    const results = await Promise.all(Array.from({ length: 50 }, () => model.generate(hello)));
    expect(results.every((r) => r.content.length > 0)).toBe(true);
    expect(count('/api/tags')).toBe(1);
    expect(count('/api/pull')).toBe(1);
    expect(count('/api/chat')).toBe(50);
    expect(ready).toBe(1);
  });

  it('a failed pull fails every waiter with the model and the reason, and the next call tries again', async () => {
    server.enqueue({
      match: { path: '/api/pull' },
      streamErrorAfter: 3,
      errorMessage: 'max retries exceeded: unexpected EOF',
    });
    const model = new LazyOllamaModel('gemma3', { host: server.url });
    const failed: LazyOllamaEvent[] = [];
    model.on('pull-failed', (e) => failed.push(e));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        model.generate(hello).then(
          () => undefined,
          (e: unknown) => e as OrchestratorError,
        ),
      ),
    );
    expect(count('/api/pull')).toBe(1);
    expect(count('/api/chat')).toBe(0);
    for (const error of outcomes) {
      expect(ProviderInternalError.isInstance(error)).toBe(true);
      expect(error!.retryable).toBe(true);
      expect(error!.message).toContain('gemma3');
      expect(error!.message).toContain('max retries exceeded: unexpected EOF');
      expect(error!.message).toContain('pulling "gemma3"');
    }
    expect(new Set(outcomes).size).toBe(1);
    expect(failed).toHaveLength(1);
    expect(server.hasModel('gemma3')).toBe(false);
    expect(model.isReady).toBe(false);

    const response = await model.generate(hello);
    expect(response.content.length).toBeGreaterThan(0);
    expect(count('/api/pull')).toBe(2);
    expect(count('/api/tags')).toBe(2);
    expect(model.isReady).toBe(true);
  });

  it('a pull the server refuses with an HTTP error fails clearly and is retried next time', async () => {
    server.enqueue({ match: { path: '/api/pull' }, status: 500, errorMessage: 'disk full' });
    const model = new LazyOllamaModel('phi4', { host: server.url });
    const error = (await model.generate(hello).catch((e: unknown) => e)) as OrchestratorError;
    expect(ProviderInternalError.isInstance(error)).toBe(true);
    expect(error.message).toContain('pulling "phi4"');
    expect(error.message).toContain('disk full');
    await model.generate(hello);
    expect(count('/api/pull')).toBe(2);
  });

  it('a name the registry does not know is an invalid request, not retryable', async () => {
    server.enqueue({
      match: { path: '/api/pull' },
      streamErrorAfter: 1,
      errorMessage: 'pull model manifest: file does not exist',
    });
    const model = new LazyOllamaModel('no-such-model', { host: server.url });
    const error = (await model.generate(hello).catch((e: unknown) => e)) as OrchestratorError;
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('file does not exist');
  });

  it("a waiter's timeout ends its own wait, not the pull the others wait for", async () => {
    server.enqueue({ match: { path: '/api/pull' }, chunkDelayMs: 25 });
    const model = new LazyOllamaModel('mistral', { host: server.url });
    const downloading = new Promise<void>((resolve) => {
      const off = model.on('pull-progress', (e) => {
        if (e.totalBytes > 0) {
          off();
          resolve();
        }
      });
    });
    const patient = model.generate(hello);
    await downloading;
    const hasty = (await model
      .generate(hello, { timeoutMs: 30 })
      .catch((e: unknown) => e)) as OrchestratorError;
    expect(TimeoutError.isInstance(hasty)).toBe(true);
    expect(hasty.message).toContain('the pull goes on');
    expect((await patient).content.length).toBeGreaterThan(0);
    expect(count('/api/pull')).toBe(1);
  });

  it('gives up a pull that stalls, and tries again on the next call', async () => {
    server.enqueue({ match: { path: '/api/pull' }, hang: true });
    const model = new LazyOllamaModel('mistral', { host: server.url, pullIdleTimeoutMs: 400 });
    const closed = server.nextClose('/api/pull');
    const error = (await model.generate(hello).catch((e: unknown) => e)) as OrchestratorError;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.message).toContain('stalled');
    expect((await closed).completed).toBe(false);
    await model.generate(hello);
    expect(count('/api/pull')).toBe(2);
  });

  it('streams after pulling, and reports a failed pull as one error chunk', async () => {
    server.enqueue({
      match: { path: '/api/pull' },
      streamErrorAfter: 0,
      errorMessage: 'connection reset',
    });
    const model = new LazyOllamaModel('llama3.2', { host: server.url });
    const failed = await collect(model.stream(hello));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.type).toBe('error');
    server.enqueue({ match: { path: '/api/chat' }, text: 'after the pull' });
    const chunks = await collect(model.stream(hello));
    expect(textOf(chunks)).toBe('after the pull');
    expect(chunks.at(-1)?.type).toBe('finish');
  });

  it('pulls an embedding model before embedding', async () => {
    const model = new LazyOllamaModel('mxbai-embed-large', { host: server.url });
    const response = await model.embed({ input: ['a', 'b'] });
    expect(response.embeddings.map((v) => v.length)).toEqual([1024, 1024]);
    expect(paths()).toEqual(['/api/tags', '/api/pull', '/api/embed']);
  });

  it('checks again after the model was removed from the server', async () => {
    const model = new LazyOllamaModel('llama3.2', { host: server.url });
    await model.generate(hello);
    server.removeModel('llama3.2');
    const error = (await model.generate(hello).catch((e: unknown) => e)) as OrchestratorError;
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(model.isReady).toBe(false);
    await model.generate(hello);
    expect(count('/api/pull')).toBe(2);
  });

  it('is healthy when the server answers, before any pull', async () => {
    const model = new LazyOllamaModel('llama3.2', { host: server.url });
    const health = await model.healthCheck();
    expect(health.healthy).toBe(true);
    expect(paths()).toEqual(['/api/version']);
  });

  it('a listener that throws does not break the pull', async () => {
    const model = new LazyOllamaModel('llama3.2', { host: server.url });
    const off = model.on('pull-progress', () => {
      throw new Error('bad listener');
    });
    await model.generate(hello);
    off();
    expect(model.isReady).toBe(true);
  });
});
