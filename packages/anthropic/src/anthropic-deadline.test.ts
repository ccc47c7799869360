import { type ChatChunk, TimeoutError } from '@orchestrator/core';
import { rejectionOf, type StallingServer, startStallingServer } from '@orchestrator/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicModel } from './anthropic-model.js';

const KEY = 'sk-ant-test-0000000000000000';
const hello = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 16 };

let server: StallingServer | undefined;
afterEach(() => server?.close());

/** A server that sends the headers and the start of a JSON body, then nothing. */
async function stallingServer(): Promise<StallingServer> {
  server = await startStallingServer({
    contentType: 'application/json',
    body: '{"id":"msg_01","type":"message","content":[',
  });
  return server;
}

/** A server that starts a message stream, sends one text delta, then nothing. */
async function stallingStream(): Promise<StallingServer> {
  const event = (type: string, data: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  server = await startStallingServer({
    contentType: 'text/event-stream',
    body:
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
      }) +
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
  });
  return server;
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
    const error = await rejectionOf(model.generate(hello, { timeoutMs: 150 }));
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
    const error = await rejectionOf(model.generate(hello));
    expect(error).toBeInstanceOf(TimeoutError);
    await closed();
  });
});
