import { type ChatChunk, TimeoutError } from '@orchestrator/core';
import { expectStalledCallTimesOut, startStallingServer } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { AnthropicModel } from './anthropic-model.js';

const MODEL = 'claude-haiku-4-5';
const KEY = 'sk-ant-test-0000000000000000';
const hello = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 16 };

/** The headers and the start of a JSON body, then nothing. */
const STALL = {
  contentType: 'application/json',
  body: '{"id":"msg_01","type":"message","content":[',
};

/** A server that starts a message stream, sends one text delta, then nothing. */
function stallingStream() {
  const event = (type: string, data: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return startStallingServer({
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
}

describe('AnthropicModel: the deadline of a streamed call without a caller signal', () => {
  it('ends a stream that stalls after its first text with a TimeoutError, and closes the connection', async () => {
    const { url, closed, close } = await stallingStream();
    try {
      const model = new AnthropicModel({ model: MODEL, apiKey: KEY, baseURL: url });
      const chunks: ChatChunk[] = [];
      for await (const chunk of model.stream(hello, { timeoutMs: 200 })) chunks.push(chunk);
      expect(chunks[0]).toEqual({ type: 'text-delta', text: 'Hello' });
      const last = chunks.at(-1);
      expect(last?.type === 'error' && last.error).toBeInstanceOf(TimeoutError);
      await closed();
    } finally {
      await close();
    }
  });
});

describe('AnthropicModel: the deadline of a plain call covers its body', () => {
  it('on the default transport, a body that stalls after the headers times out and the connection closes', () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new AnthropicModel({ model: MODEL, apiKey: KEY, baseURL: url }).generate(hello, {
        timeoutMs: 150,
      }),
    ));

  it("with a fetch of the caller's, a stalled body times out all the same (the adapter's own signal)", () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new AnthropicModel({
        model: MODEL,
        apiKey: KEY,
        baseURL: url,
        fetch: (input, init) => globalThis.fetch(input, init),
        timeoutMs: 150,
      }).generate(hello),
    ));
});
