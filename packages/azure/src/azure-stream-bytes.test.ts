import type { ChatChunk } from '@orchestrator/core';
import type { FakeAzureServer, OpenAIFaultScript } from '@orchestrator/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collect, FOUNDRY_KEY, foundryModel, startFoundry } from './__tests__/helpers.js';

let server: FakeAzureServer;
beforeAll(async () => {
  server = await startFoundry();
});
afterAll(() => server.close());

// Multi-byte UTF-8 and CRLF line endings; Azure's leading filter chunk and
// per-choice filter results are part of the body being split.
const script: OpenAIFaultScript = {
  text: 'héllo世界🎉',
  lineEnding: '\r\n',
  usage: { inputTokens: 5, outputTokens: 4 },
};
const request = { messages: [{ role: 'user' as const, content: 'x' }] };

function summary(chunks: readonly ChatChunk[]): string {
  return JSON.stringify(
    chunks.map((c) => {
      if (c.type === 'finish')
        return {
          type: c.type,
          finishReason: c.finishReason,
          usage: { ...c.usage, raw: undefined },
        };
      if (c.type === 'error') return { type: c.type, message: c.error.message };
      return c;
    }),
  );
}

it('decodes an Azure stream split at every byte offset to the identical result', async () => {
  server.enqueue(script);
  const reference = summary(await collect(foundryModel(server, 'd').stream(request)));
  expect(reference).toContain('héllo');
  expect(reference).toContain('"type":"finish"');

  server.enqueue(script);
  const body = Buffer.from(
    await (
      await fetch(`${server.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'api-key': FOUNDRY_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'd',
          ...request,
          stream: true,
          stream_options: { include_usage: true },
        }),
      })
    ).arrayBuffer(),
  );
  expect(body.includes('prompt_filter_results')).toBe(true);

  const failures: number[] = [];
  const offsets = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
  for (let start = 0; start < offsets.length; start += 16) {
    await Promise.all(
      offsets.slice(start, start + 16).map(async (offset) => {
        server.enqueue({ ...script, match: { model: `d@${offset}` }, splitAt: [offset] });
        const got = summary(await collect(foundryModel(server, `d@${offset}`).stream(request)));
        if (got !== reference) failures.push(offset);
      }),
    );
  }
  expect(failures).toEqual([]);
});
