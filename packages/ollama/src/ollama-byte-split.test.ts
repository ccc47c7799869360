import type { ChatRequest } from '@orchestrator/core';
import type { FakeOllamaServer, OllamaFaultScript } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startFakeOllama, textOf } from './__tests__/helpers.js';
import { OllamaModel } from './index.js';

let server: FakeOllamaServer;
beforeAll(async () => {
  server = await startFakeOllama({ models: ['llama3.2'] });
});
afterAll(() => server.close());

const request: ChatRequest = {
  messages: [{ role: 'user', content: 'Greet Zürich' }],
  tools: [
    { name: 'greet', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  ],
};

// Multi-byte UTF-8 (2, 3 and 4 bytes), CRLF line endings, a tool call with non-ASCII arguments.
const script: OllamaFaultScript = {
  match: { path: '/api/chat' },
  text: 'héllo 世界 🎉',
  toolCalls: [{ name: 'greet', arguments: '{"city":"Zürich"}' }],
  usage: { inputTokens: 11, outputTokens: 7 },
  lineEnding: '\r\n',
};

describe('byte-exact NDJSON parsing', () => {
  it('gives the identical result wherever the stream is split', async () => {
    // Record the body once, as the SDK would receive it.
    server.enqueue(script);
    const raw = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2', messages: request.messages, stream: true }),
    });
    const body = new Uint8Array(await raw.arrayBuffer());
    const text = new TextDecoder().decode(body);
    expect(text).toContain('\r\n');
    expect(text).toContain('世界');
    expect(body.length).toBeLessThan(1_000);

    const model = new OllamaModel('llama3.2', { host: server.url });
    server.enqueue(script);
    const reference = await collect(model.stream(request));
    expect(textOf(reference)).toBe('héllo 世界 🎉');
    expect(reference.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'tool_calls',
      usage: { inputTokens: 11 },
    });
    expect(reference.find((c) => c.type === 'tool-call-delta')).toMatchObject({
      argumentsDelta: '{"city":"Zürich"}',
    });

    // Every offset, a few requests at a time (each takes its own split script) to keep it quick.
    const expected = JSON.stringify(reference);
    const failing: string[] = [];
    const batch = 16;
    for (let first = 1; first < body.length; first += batch) {
      const offsets = Array.from(
        { length: Math.min(batch, body.length - first) },
        (_, i) => first + i,
      );
      for (const offset of offsets) server.enqueue({ ...script, splitAt: [offset] });
      const results = await Promise.all(offsets.map(() => collect(model.stream(request))));
      if (results.some((chunks) => JSON.stringify(chunks) !== expected))
        failing.push(`${first}..${offsets.at(-1)}`);
    }
    expect(failing).toEqual([]);
  });

  it('splits into single bytes too', async () => {
    const model = new OllamaModel('llama3.2', { host: server.url });
    server.enqueue({ ...script, chunkBytes: 1, text: 'ü 世 🎉' });
    const chunks = await collect(model.stream(request));
    expect(textOf(chunks)).toBe('ü 世 🎉');
    expect(chunks.at(-1)?.type).toBe('finish');
  });
});
