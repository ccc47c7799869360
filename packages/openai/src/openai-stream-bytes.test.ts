import type { ChatChunk } from '@orchestrator/core';
import type { FakeOpenAIServer, OpenAIFaultScript } from '@orchestrator/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_KEY, collect, modelOn, startServer } from './__tests__/helpers.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

// Multi-byte UTF-8 (2, 3 and 4 bytes) and CRLF line endings, so splits land
// inside characters and between CR and LF.
const script: OpenAIFaultScript = {
  text: 'héllo 世界 🎉',
  lineEnding: '\r\n',
  usage: { inputTokens: 5, outputTokens: 4 },
};
const request = { messages: [{ role: 'user' as const, content: 'x' }] };

/** What a stream means, without the parts that differ per request (ids). */
function summary(chunks: readonly ChatChunk[]): unknown {
  return chunks.map((c) => {
    if (c.type === 'finish')
      return { type: c.type, finishReason: c.finishReason, usage: { ...c.usage, raw: undefined } };
    if (c.type === 'error') return { type: c.type, message: c.error.message };
    return c;
  });
}

/** The stream body exactly as the server sends it for the script. */
async function recordBody(): Promise<Buffer> {
  server.enqueue(script);
  const response = await fetch(`${server.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'o',
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  return Buffer.from(await response.arrayBuffer());
}

it('decodes a stream split at every byte offset to the identical result', async () => {
  const model = modelOn(server, 'o');
  server.enqueue(script);
  const reference = summary(await collect(model.stream(request)));
  expect((reference as { text?: string }[]).map((c) => c.text ?? '').join('')).toBe(
    'héllo 世界 🎉',
  );
  expect((reference as unknown[]).at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });

  const body = await recordBody();
  expect(body.includes('\r\n')).toBe(true);
  expect(body.length).toBeLessThan(2_000);

  const offsets = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
  const failures: number[] = [];
  // A few at a time: every offset is a real request through the SDK.
  for (let start = 0; start < offsets.length; start += 16) {
    await Promise.all(
      offsets.slice(start, start + 16).map(async (offset) => {
        server.enqueue({ ...script, match: { model: `o@${offset}` }, splitAt: [offset] });
        const chunks = await collect(modelOn(server, `o@${offset}`).stream(request));
        const got = summary(chunks) as { type: string; model?: string }[];
        if (JSON.stringify(got) !== JSON.stringify(reference)) failures.push(offset);
      }),
    );
  }
  expect(failures).toEqual([]);
});
