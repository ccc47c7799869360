import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChatChunk, TimeoutError } from '@orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicModel } from './anthropic-model.js';

const KEY = 'sk-ant-test-0000000000000000';
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
    res.write('{"id":"msg_01","type":"message","content":[');
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

/** A server that starts a message stream, sends one text delta, then nothing. */
async function stallingStream(): Promise<{ url: string; closed: () => Promise<unknown> }> {
  let closed: Promise<unknown> = new Promise(() => {});
  server = createServer((req, res) => {
    closed = once(req.socket, 'close');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (type: string, data: object) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event('message_start', {
      message: {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 1 },
      },
    });
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closed: () => closed,
  };
}

describe('AnthropicModel: the deadline of a streamed call without a caller signal', () => {
  it('ends a stream that stalls after its first text with a TimeoutError, and closes the connection', async () => {
    const { url, closed } = await stallingStream();
    const model = new AnthropicModel({ model: 'claude-haiku-4-5', apiKey: KEY, baseURL: url });
    const chunks: ChatChunk[] = [];
    for await (const chunk of model.stream(hello, { timeoutMs: 200 })) chunks.push(chunk);
    expect(chunks[0]).toEqual({ type: 'text-delta', text: 'Hello' });
    const last = chunks.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(TimeoutError);
    await closed();
  });
});

describe('AnthropicModel: the deadline of a plain call covers its body', () => {
  it('on the default transport, a body that stalls after the headers times out and the connection closes', async () => {
    const { url, closed } = await stallingServer();
    const model = new AnthropicModel({ model: 'claude-haiku-4-5', apiKey: KEY, baseURL: url });
    const error = await failure(model.generate(hello, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });

  it("with a fetch of the caller's, a stalled body times out all the same (the adapter's own signal)", async () => {
    const { url, closed } = await stallingServer();
    const model = new AnthropicModel({
      model: 'claude-haiku-4-5',
      apiKey: KEY,
      baseURL: url,
      fetch: (input, init) => globalThis.fetch(input, init),
      timeoutMs: 150,
    });
    const error = await failure(model.generate(hello));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });
});
