import type { ChatChunk } from '@orchestrator/core';
import { APIError } from 'openai';
import { Stream } from 'openai/streaming';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpenAIChatStreamReader, OpenAIStreamMapper } from './openai-chat-stream.js';

const encoder = new TextEncoder();
const context = { provider: 'openai', model: 'gpt-test', warnings: [], cost: () => 0.5 };

const chunk = (delta: object, extra: object = {}) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    model: 'gpt-test',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  });
const finish = JSON.stringify({
  id: 'chatcmpl-1',
  model: 'gpt-test',
  choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
});
const usage = JSON.stringify({
  id: 'chatcmpl-1',
  choices: [],
  usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
});

/** Bodies that exercise every corner of the framing; each is compared with the SDK's reading. */
const bodies: Record<string, string> = {
  lf: `data: ${chunk({ role: 'assistant', content: '' })}\n\ndata: ${chunk({ content: 'héllo 世界 🎉' })}\n\ndata: ${finish}\n\ndata: ${usage}\n\ndata: [DONE]\n\n`,
  crlf: `data: ${chunk({ content: 'a' })}\r\n\r\ndata: ${chunk({ content: 'ü' })}\r\n\r\ndata: ${finish}\r\n\r\ndata: [DONE]\r\n\r\n`,
  cr: `data: ${chunk({ content: 'a' })}\r\rdata: ${chunk({ content: 'b' })}\r\rdata: ${finish}\r\r`,
  'comments, fields, no space after the colon': `: keep-alive\n\nid: 7\nretry: 10\ndata:${chunk({ content: 'x' })}\n\n:another\ndata: ${finish}\n\n`,
  'data over several CRLF lines': `data: {"id":"c","choices":[{"index":0,\r\ndata: "delta":{"content":"joined"}}]}\r\n\r\ndata: ${finish}\r\n\r\n`,
  'data over several lines': `data: {"id":"c","choices":[{"index":0,\ndata: "delta":{"content":"joined"}}]}\n\ndata: ${finish}\n\n`,
  'named events and assistants events': `event: message\ndata: ${chunk({ content: 'm' })}\n\nevent: thread.run\ndata: {"id":"run"}\n\nevent:\ndata: ${finish}\n\n`,
  'events after [DONE] are ignored': `data: ${chunk({ content: 'x' })}\n\ndata: ${finish}\n\ndata: [DONE]\n\ndata: not json\n\n`,
  'a last event without its blank line is dropped': `data: ${chunk({ content: 'x' })}\n\ndata: ${finish}`,
  'a tool call': `data: ${chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '' } }] })}\n\ndata: ${chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] })}\n\ndata: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`,
  'an error event': `data: ${chunk({ content: 'x' })}\n\nevent: error\ndata: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\n`,
  'malformed JSON': `data: ${chunk({ content: 'x' })}\n\ndata: {"id": nope}\n\n`,
  'an event with no data': `data: ${chunk({ content: 'x' })}\n\nevent: ping\n\n`,
  'a data field without a colon': `data: ${chunk({ content: 'x' })}\n\ndata\n\n`,
  'a chunk that is not an object': `data: ${chunk({ content: 'x' })}\n\ndata: [1, 2]\n\n`,
};

type Outcome = { chunks: ChatChunk[]; error?: string };

function bodyOf(pieces: readonly Uint8Array[]): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(pieces[next++]!);
      else controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_9' },
  });
}

const errorOf = (error: unknown) =>
  error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);

/** The reference: the SDK's own Stream, its payloads fed to the mapper one by one. */
async function throughSdk(bytes: Uint8Array): Promise<Outcome> {
  const mapper = new OpenAIStreamMapper(context);
  const chunks: ChatChunk[] = [];
  try {
    for await (const payload of Stream.fromSSEResponse(bodyOf([bytes]), new AbortController()))
      mapper.push(payload, chunks);
  } catch (error) {
    return { chunks, error: errorOf(error) };
  }
  chunks.push(mapper.end());
  return { chunks };
}

async function throughReader(pieces: readonly Uint8Array[]): Promise<Outcome> {
  const mapper = new OpenAIStreamMapper(context);
  const reader = new OpenAIChatStreamReader(bodyOf(pieces), mapper);
  const chunks: ChatChunk[] = [];
  try {
    while (await reader.read(chunks));
  } catch (error) {
    return { chunks, error: errorOf(error) };
  }
  chunks.push(mapper.end());
  return { chunks };
}

beforeEach(() => {
  // The SDK logs the raw text of a malformed event to the console.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('OpenAIChatStreamReader', () => {
  for (const [name, text] of Object.entries(bodies)) {
    it(`reads ${name} as the SDK does, split at any byte`, async () => {
      const bytes = encoder.encode(text);
      const reference = await throughSdk(bytes);
      expect(await throughReader([bytes])).toEqual(reference);
      const failures: number[] = [];
      for (let at = 1; at < bytes.length; at++) {
        const got = await throughReader([bytes.subarray(0, at), bytes.subarray(at)]);
        if (JSON.stringify(got) !== JSON.stringify(reference)) failures.push(at);
      }
      expect(failures).toEqual([]);
      const oneByteEach = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(await throughReader(oneByteEach)).toEqual(reference);
    });
  }

  it('hands over the first token ahead of the rest of its read', async () => {
    const reader = new OpenAIChatStreamReader(
      bodyOf([encoder.encode(bodies.lf!)]),
      new OpenAIStreamMapper(context),
    );
    const first: ChatChunk[] = [];
    expect(await reader.read(first)).toBe(true);
    expect(first).toEqual([{ type: 'text-delta', text: 'héllo 世界 🎉' }]);
    const rest: ChatChunk[] = [];
    while (await reader.read(rest));
    expect(rest).toEqual([]);
  });

  it('hands over what came before a failure in the same read, then throws', async () => {
    const text = `data: ${chunk({ content: 'a' })}\n\ndata: ${chunk({ content: 'b' })}\n\ndata: ${chunk({ content: 'c' })}\n\ndata: {"id": nope}\n\n`;
    const reader = new OpenAIChatStreamReader(
      bodyOf([encoder.encode(text)]),
      new OpenAIStreamMapper(context),
    );
    const calls: unknown[] = [];
    for (;;) {
      const out: ChatChunk[] = [];
      try {
        if (!(await reader.read(out))) break;
        calls.push(out.map((c) => (c.type === 'text-delta' ? c.text : c.type)));
      } catch (error) {
        calls.push(error instanceof SyntaxError ? 'SyntaxError' : error);
        break;
      }
    }
    expect(calls).toEqual([['a'], ['b', 'c'], 'SyntaxError']);
  });

  it('turns an error event into the SDK error, carrying the response headers', async () => {
    const reader = new OpenAIChatStreamReader(
      bodyOf([encoder.encode(bodies['an error event']!)]),
      new OpenAIStreamMapper(context),
    );
    const error = await (async () => {
      try {
        while (await reader.read([]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({
      type: 'overloaded_error',
      requestID: 'req_9',
      status: undefined,
    });
  });

  it('cancels the body when it meets an error, and on cancel()', async () => {
    let cancelled = 0;
    const stream = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(encoder.encode('data: {"id": nope}\n\n'));
          },
          cancel() {
            cancelled++;
          },
        }),
      );
    const failing = new OpenAIChatStreamReader(stream(), new OpenAIStreamMapper(context));
    await expect(failing.read([])).rejects.toThrow(SyntaxError);
    const stopped = new OpenAIChatStreamReader(stream(), new OpenAIStreamMapper(context));
    stopped.cancel();
    await Promise.resolve();
    expect(cancelled).toBe(2);
  });

  it('reports a response without a body as the SDK does', async () => {
    const reader = new OpenAIChatStreamReader(new Response(null), new OpenAIStreamMapper(context));
    await expect(reader.read([])).rejects.toThrow(
      'Attempted to iterate over a response with no body',
    );
  });
});
