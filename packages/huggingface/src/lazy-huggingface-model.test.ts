import { AbortedError, AuthenticationError, TimeoutError } from '@orchestrator/core';
import { huggingFaceLoadingScript } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { ask, collect, KEY, LLAMA, textOf, useFakeServer } from './__tests__/hf-fixtures.js';
import {
  type ColdStartEvent,
  ColdStartTimeoutError,
  DEFAULT_COLD_START_POLICY,
  nextPollDelay,
} from './cold-start.js';
import {
  LazyHuggingFaceModel,
  type LazyHuggingFaceModelSettings,
  lazyHuggingFace,
} from './lazy-huggingface-model.js';

const fake = useFakeServer();

function lazy(settings: Partial<LazyHuggingFaceModelSettings> = {}): {
  model: LazyHuggingFaceModel;
  events: ColdStartEvent[];
} {
  const events: ColdStartEvent[] = [];
  const model = new LazyHuggingFaceModel({
    model: LLAMA,
    endpointUrl: fake.server.url,
    apiKey: KEY,
    initialPollMs: 20,
    ...settings,
  });
  model.on('progress', (e) => events.push(e));
  return { model, events };
}

const chatRequests = () => fake.server.requests.filter((r) => r.path === '/v1/chat/completions');

/** Resolves at the first progress event of the given type. */
function next(model: LazyHuggingFaceModel, type: ColdStartEvent['type']): Promise<ColdStartEvent> {
  return new Promise((resolve) => {
    const listener = (e: ColdStartEvent) => {
      if (e.type !== type) return;
      model.off('progress', listener);
      resolve(e);
    };
    model.on('progress', listener);
  });
}

describe('nextPollDelay', () => {
  const policy = {
    ...DEFAULT_COLD_START_POLICY,
    initialPollMs: 100,
    maxPollIntervalMs: 1_000,
    backoffFactor: 2,
  };
  it('follows the estimate, grows with backoff, and stays within the cap and the time left', () => {
    expect(nextPollDelay(policy, 0, 300, 60_000)).toBe(300);
    expect(nextPollDelay(policy, 1, 300, 60_000)).toBe(600);
    expect(nextPollDelay(policy, 2, 300, 60_000)).toBe(1_000);
    expect(nextPollDelay(policy, 0, undefined, 60_000)).toBe(100);
    expect(nextPollDelay(policy, 3, undefined, 60_000)).toBe(800);
    expect(nextPollDelay(policy, 0, 20_000, 60_000)).toBe(1_000);
    expect(nextPollDelay(policy, 0, 500, 250)).toBe(250);
    expect(nextPollDelay(policy, 0, 0, 60_000)).toBe(10);
  });
});

describe('LazyHuggingFaceModel', () => {
  it('does nothing on the network at construction', () => {
    const { model } = lazy({ endpointUrl: 'http://127.0.0.1:9' });
    expect(model.state).toBe('cold');
    expect(model.capabilities.features).toContain('tool_calling');
    expect(fake.server.requests).toHaveLength(0);
    expect(lazyHuggingFace(LLAMA, { endpointUrl: 'http://127.0.0.1:9' })).toBeInstanceOf(
      LazyHuggingFaceModel,
    );
  });

  it('rides out a cold start, reporting progress, then serves', async () => {
    fake.server.loadingForRequests(3, { estimatedTimeSec: 0.02 });
    const { model, events } = lazy();
    const response = await model.generate(ask('hello'));
    expect(response.content).toContain('[simulated]');
    expect(model.state).toBe('warm');
    expect(fake.server.loadingReplies).toBe(3);
    expect(chatRequests()).toHaveLength(4);
    const loading = events.filter((e) => e.type === 'loading');
    expect(loading.map((e) => e.type === 'loading' && e.attempt)).toEqual([1, 2, 3]);
    expect(loading.every((e) => e.type === 'loading' && e.estimatedTimeMs === 20)).toBe(true);
    // The estimate grows with backoff: 20, 30, 45 ms.
    expect(loading.map((e) => e.type === 'loading' && Math.round(e.nextPollInMs))).toEqual([
      20, 30, 45,
    ]);
    const ready = events.at(-1)!;
    expect(ready).toMatchObject({ type: 'ready', model: LLAMA, attempts: 3 });
    expect(ready.type === 'ready' && ready.waitedMs).toBeGreaterThanOrEqual(90);
  });

  it('fifty concurrent first calls cause one warm-up sequence; the others wait for it', async () => {
    fake.server.loadingFor(120, { estimatedTimeSec: 0.03 });
    const { model, events } = lazy();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => model.generate(ask(`call ${i}`))),
    );
    expect(results).toHaveLength(50);
    const loading = events.filter((e) => e.type === 'loading');
    // Only the leader polled: every loading reply is one of its tries, then each call went through once.
    expect(fake.server.loadingReplies).toBe(loading.length);
    expect(loading.length).toBeGreaterThan(0);
    expect(loading.length).toBeLessThan(10);
    expect(chatRequests()).toHaveLength(loading.length + 50);
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(1);
  });

  it('gives up at maxColdStartWaitMs with a clear error, and the next call tries again', async () => {
    fake.server.loadingFor(60_000, { estimatedTimeSec: 0.02 });
    const { model, events } = lazy({ maxColdStartWaitMs: 100 });
    const calls = Array.from({ length: 10 }, () =>
      model.generate(ask('x')).catch((e: unknown) => e),
    );
    const errors = await Promise.all(calls);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ColdStartTimeoutError);
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(LLAMA);
      expect((error as Error).message).toContain('maxColdStartWaitMs = 100 ms');
      expect((error as ColdStartTimeoutError).possiblyBilled).toBe(false);
    }
    // One warm-up for the ten callers, and it stopped at the bound.
    expect(fake.server.loadingReplies).toBe(events.filter((e) => e.type === 'loading').length + 1);
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1);
    expect(model.state).toBe('cold');

    fake.server.stopLoading();
    await expect(model.generate(ask('again'))).resolves.toMatchObject({ finishReason: 'stop' });
    expect(model.state).toBe('warm');
  });

  it('a warm-up that fails for another reason fails every waiter with its error', async () => {
    fake.server.enqueue(huggingFaceLoadingScript(LLAMA, 0.02), { status: 401 });
    const { model } = lazy();
    const errors = await Promise.all(
      Array.from({ length: 5 }, () => model.generate(ask('x')).catch((e: unknown) => e)),
    );
    expect(errors.every((e) => AuthenticationError.isInstance(e))).toBe(true);
    expect(chatRequests()).toHaveLength(2);
    await expect(model.generate(ask('x'))).resolves.toBeDefined();
  });

  it('stops waiting as soon as the caller aborts', async () => {
    fake.server.loadingFor(60_000, { estimatedTimeSec: 30 });
    const { model } = lazy();
    const controller = new AbortController();
    const waiting = next(model, 'loading');
    const call = model.generate(ask('x'), { signal: controller.signal });
    const event = await waiting;
    expect(event.type === 'loading' && event.nextPollInMs).toBe(
      DEFAULT_COLD_START_POLICY.maxPollIntervalMs,
    );
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(chatRequests()).toHaveLength(1);
  });

  it("the caller's timeout bounds the wait", async () => {
    fake.server.loadingFor(60_000, { estimatedTimeSec: 30 });
    const { model } = lazy();
    const error = await model.generate(ask('x'), { timeoutMs: 60 }).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(ColdStartTimeoutError);
    expect((error as Error).message).toMatch(/timed out after waiting/);
  });

  it('when the leader gives up, a waiting caller takes over the warm-up', async () => {
    fake.server.loadingForRequests(2, { estimatedTimeSec: 0.03 });
    const { model } = lazy();
    const controller = new AbortController();
    const firstLoading = next(model, 'loading');
    const leader = model.generate(ask('leader'), { signal: controller.signal });
    await firstLoading;
    const follower = model.generate(ask('follower'));
    controller.abort();
    await expect(leader).rejects.toBeInstanceOf(AbortedError);
    await expect(follower).resolves.toMatchObject({ finishReason: 'stop' });
    expect(fake.server.loadingReplies).toBe(2);
  });

  it('streams after riding out a cold start', async () => {
    fake.server.loadingForRequests(2, { estimatedTimeSec: 0.01 });
    fake.server.enqueue({ text: 'warm at last' });
    const { model, events } = lazy();
    const chunks = await collect(model.stream(ask('x')));
    expect(textOf(chunks)).toBe('warm at last');
    expect(chunks.at(-1)?.type).toBe('finish');
    expect(events.filter((e) => e.type === 'loading')).toHaveLength(2);
  });

  it('a stream whose warm-up fails yields one error chunk', async () => {
    fake.server.loadingFor(60_000, { estimatedTimeSec: 0.02 });
    const { model } = lazy({ maxColdStartWaitMs: 50 });
    const chunks = await collect(model.stream(ask('x')));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.type === 'error' && chunks[0].error).toBeInstanceOf(ColdStartTimeoutError);
  });

  it('waits again when a warm endpoint scales back to zero', async () => {
    const { model, events } = lazy();
    await model.generate(ask('warm'));
    expect(model.state).toBe('warm');
    fake.server.loadingForRequests(1, { estimatedTimeSec: 0.01 });
    await model.generate(ask('cold again'));
    expect(events.map((e) => e.type)).toEqual(['ready', 'loading', 'ready']);
  });

  it('embeds through the same warm-up', async () => {
    fake.server.loadingForRequests(1, { estimatedTimeSec: 0.01 });
    const { model } = lazy({ model: 'sentence-transformers/all-MiniLM-L6-v2' });
    const out = await model.embed({ input: ['a', 'b'] });
    expect(out.embeddings).toHaveLength(2);
    expect(fake.server.loadingReplies).toBe(1);
  });

  it('health checks without waiting', async () => {
    fake.server.loadingFor(60_000);
    const { model } = lazy();
    expect((await model.healthCheck()).healthy).toBe(false);
    fake.server.stopLoading();
    expect((await model.healthCheck()).healthy).toBe(true);
  });

  it('rejects a nonsensical policy at construction', () => {
    expect(() => lazy({ maxColdStartWaitMs: 0 })).toThrow(/maxColdStartWaitMs/);
    expect(() => lazy({ backoffFactor: 0.5 })).toThrow(/backoffFactor/);
  });
});
