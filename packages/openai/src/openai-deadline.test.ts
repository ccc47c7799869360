import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TimeoutError } from '@orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIModel } from './openai-model.js';

const KEY = 'sk-test-000000000000000000';
const hello = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 16 };

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  if (server?.listening) await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A server that sends the headers and the start of a JSON body, then nothing. */
async function stallingServer(): Promise<{ url: string; closed: () => Promise<unknown> }> {
  let closed: Promise<unknown> = new Promise(() => {});
  server = createServer((req, res) => {
    closed = once(req.socket, 'close');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id":"chatcmpl-1","object":"chat.completion","choices":[');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closed: () => closed,
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAIModel: the deadline of a plain call covers its body', () => {
  it('on the default transport, a body that stalls after the headers times out and the connection closes', async () => {
    const { url, closed } = await stallingServer();
    const model = new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url });
    const error = await failure(model.generate(hello, { timeoutMs: 150 }));
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
    const error = await failure(model.generate(hello));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });

  it("with a caller's signal and a timeout, the timeout still ends the call as a TimeoutError", async () => {
    const { url, closed } = await stallingServer();
    const model = new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url });
    const caller = new AbortController();
    const error = await failure(model.generate(hello, { signal: caller.signal, timeoutMs: 150 }));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });
});
