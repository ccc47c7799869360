import { TimeoutError } from '@orchestrator/core';
import { rejectionOf, type StallingServer, startStallingServer } from '@orchestrator/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIModel } from './openai-model.js';

const KEY = 'sk-test-000000000000000000';
const hello = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 16 };

let server: StallingServer | undefined;
afterEach(() => server?.close());

/** A server that sends the headers and the start of a JSON body, then nothing. */
async function stallingServer(): Promise<StallingServer> {
  server = await startStallingServer({
    contentType: 'application/json',
    body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[',
  });
  return server;
}

describe('OpenAIModel: the deadline of a plain call covers its body', () => {
  it('on the default transport, a body that stalls after the headers times out and the connection closes', async () => {
    const { url, closed } = await stallingServer();
    const model = new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url });
    const error = await rejectionOf(model.generate(hello, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });

  it("with a fetch of the caller's, a stalled body times out all the same (the adapter's own signal)", async () => {
    const { url, closed } = await stallingServer();
    const model = new OpenAIModel('gpt-4o-mini', {
      apiKey: KEY,
      baseURL: url,
      fetch: (input, init) => globalThis.fetch(input, init),
      timeoutMs: 150,
    });
    const error = await rejectionOf(model.generate(hello));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });

  it("with a caller's signal and a timeout, the timeout still ends the call as a TimeoutError", async () => {
    const { url, closed } = await stallingServer();
    const model = new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url });
    const caller = new AbortController();
    const error = await rejectionOf(
      model.generate(hello, { signal: caller.signal, timeoutMs: 150 }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });
});
