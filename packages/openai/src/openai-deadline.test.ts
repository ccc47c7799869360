import { getEventListeners } from 'node:events';
import {
  AbortedError,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  ModelRegistry,
  Orchestrator,
} from '@orchestrator/core';
import {
  expectStalledCallTimesOut,
  FakeOpenAIServer,
  rejectionOf,
  startStallingServer,
} from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { OpenAIModel } from './openai-model.js';

const KEY = 'sk-test-000000000000000000';
const hello = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 16 };
/** The headers and the start of a JSON body, then nothing. */
const STALL = {
  contentType: 'application/json',
  body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[',
};

describe('OpenAIModel: the deadline of a plain call covers its body', () => {
  it('on the default transport, a body that stalls after the headers times out and the connection closes', () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url }).generate(hello, {
        timeoutMs: 150,
      }),
    ));

  it("with a fetch of the caller's, a stalled body times out all the same (the adapter's own signal)", () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new OpenAIModel('gpt-4o-mini', {
        apiKey: KEY,
        baseURL: url,
        fetch: (input, init) => globalThis.fetch(input, init),
        timeoutMs: 150,
      }).generate(hello),
    ));

  it("with a caller's signal and a timeout, the timeout still ends the call as a TimeoutError", () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url }).generate(hello, {
        signal: new AbortController().signal,
        timeoutMs: 150,
      }),
    ));
});

/** An engine with one OpenAI model at `url` and no retries. */
function engineOn(url: string, attemptMs: number): Orchestrator {
  const registry = new ModelRegistry();
  registry.register(new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url }));
  return new Orchestrator({
    registry,
    cache: false,
    retry: { maxRetries: 0 },
    timeouts: { attemptMs, totalMs: 60_000 },
  });
}

/** Runs `body` against a fake OpenAI server started for it, and closes the server after. */
async function withFakeOpenAI(body: (baseURL: string) => Promise<void>): Promise<void> {
  const server = new FakeOpenAIServer();
  await server.start();
  try {
    await body(server.baseURL);
  } finally {
    await server.close();
  }
}

/**
 * Starts `call` against a server that stalls after the headers, cancels the
 * caller's signal 100 ms later, and expects an AbortedError at once and the
 * upstream connection closed.
 */
async function expectCancellationEndsStalledCall(
  call: (url: string, signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const server = await startStallingServer(STALL);
  try {
    const caller = new AbortController();
    const started = performance.now();
    const pending = call(server.url, caller.signal);
    setTimeout(() => caller.abort(new Error('client went away')), 100);
    const error = await rejectionOf(pending);
    expect(AbortedError.isInstance(error)).toBe(true);
    await server.closed();
    expect(performance.now() - started).toBeLessThan(5_000);
  } finally {
    await server.close();
  }
}

describe('OpenAIModel under the engine: the attempt bounds a plain call', () => {
  it("the attempt's timeout ends a stalled plain call and closes its connection", () =>
    expectStalledCallTimesOut(STALL, (url) =>
      engineOn(url, 150).process({
        ...hello,
        model: 'gpt-4o-mini',
        signal: new AbortController().signal,
      }),
    ));

  it("the caller's cancellation ends a stalled plain call at once and closes its connection", () =>
    expectCancellationEndsStalledCall((url, signal) =>
      engineOn(url, 30_000).process({ ...hello, model: 'gpt-4o-mini', signal }),
    ));
});

describe('OpenAIModel under the engine: a long-lived caller signal', () => {
  it('keeps no listener of a finished call (a batch runner passes one signal to every item)', () =>
    withFakeOpenAI(async (baseURL) => {
      const shared = new AbortController();
      const engine = engineOn(baseURL, 30_000);
      for (let i = 0; i < 20; i++)
        await engine.process({ ...hello, model: 'gpt-4o-mini', signal: shared.signal });
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    }));
});

/** Records, for each call, the signal it was given and the one the SDK was handed. */
class SignalProbe extends OpenAIModel {
  readonly seen: { given: AbortSignal | undefined; sdk: AbortSignal | null | undefined }[] = [];
  override generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const call = this.callBounds(options, true);
    this.seen.push({ given: options?.signal, sdk: call.requestOptions.signal });
    call.dispose();
    return super.generate(request, options);
  }
}

describe("OpenAIModel under the engine: the attempt's signal goes to the SDK as it is", () => {
  it('no controller of the adapter on top of the attempt (a direct call with a signal still gets one)', () =>
    withFakeOpenAI(async (baseURL) => {
      const probe = new SignalProbe('gpt-4o-mini', { apiKey: KEY, baseURL });
      const registry = new ModelRegistry();
      registry.register(probe);
      const engine = new Orchestrator({ registry, cache: false, retry: { maxRetries: 0 } });
      const shared = new AbortController();
      await engine.process({ ...hello, model: 'gpt-4o-mini', signal: shared.signal });
      await engine.process({ ...hello, model: 'gpt-4o-mini' });
      await probe.generate(hello, { signal: shared.signal });
      const [first, second, direct] = probe.seen;
      expect(first?.given).toBeInstanceOf(AbortSignal);
      expect(first?.sdk).toBe(first?.given);
      expect(second?.sdk).toBe(second?.given);
      expect(direct?.given).toBe(shared.signal);
      expect(direct?.sdk).toBeInstanceOf(AbortSignal);
      expect(direct?.sdk).not.toBe(shared.signal);
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    }));
});

describe('OpenAIModel called directly: a long-lived caller signal', () => {
  it('keeps no listener of a finished call, with or without a timeout (the SDK never removes its own)', () =>
    withFakeOpenAI(async (baseURL) => {
      const shared = new AbortController();
      const model = new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL });
      for (let i = 0; i < 12; i++) {
        await model.generate(hello, { signal: shared.signal });
        await model.generate(hello, { signal: shared.signal, timeoutMs: 30_000 });
        const stream = model.stream(hello, { signal: shared.signal });
        for await (const _chunk of stream) {
          // read to the end
        }
      }
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    }));

  it("a caller's cancellation still ends a call that has no timeout", () =>
    expectCancellationEndsStalledCall((url, signal) =>
      new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url }).generate(hello, { signal }),
    ));
});
