import type { ChatChunk } from '@orchestrator/core';
import type { AnthropicFaultScript } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { API_KEY, collect, useFakeAnthropic } from './__tests__/fake-setup.js';

const { server, model } = useFakeAnthropic();
const request = {
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  tools: [{ name: 'greet', parameters: { type: 'object' } }],
};
const TEXT = 'héllo 世界 🎉';
const ARGS = '{"to":"Zoë 🌍"}';
// Text only for the every-offset sweep, to keep the body (and the test) short.
const script: AnthropicFaultScript = {
  text: TEXT,
  usage: { inputTokens: 9, outputTokens: 8 },
  lineEnding: '\r\n',
};
const withTool: AnthropicFaultScript = {
  ...script,
  toolCalls: [{ name: 'greet', arguments: ARGS }],
};

/** What a stream amounts to: its text, each tool call's arguments, and how it ended. */
function summarize(chunks: readonly ChatChunk[]): unknown {
  const tools: Record<number, { name?: string; args: string }> = {};
  let text = '';
  for (const c of chunks) {
    if (c.type === 'text-delta') text += c.text;
    if (c.type === 'tool-call-delta') {
      tools[c.index] ??= { args: '' };
      const t = tools[c.index]!;
      if (c.name !== undefined) t.name = c.name;
      t.args += c.argumentsDelta;
    }
  }
  const end = chunks.at(-1);
  const ending =
    end?.type === 'finish'
      ? {
          type: end.type,
          finishReason: end.finishReason,
          usage: { ...end.usage, raw: undefined },
          costUsd: end.costUsd,
        }
      : end;
  return { text, tools, ending };
}

describe('byte-exact SSE decoding', () => {
  it('gives the identical result when the body is split at every byte offset', async () => {
    // Record the body the fake sends for this script.
    server.enqueue(script);
    const recorded = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': API_KEY,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        stream: true,
        messages: request.messages,
      }),
    });
    const bytes = Buffer.from(await recorded.arrayBuffer());
    const body = bytes.toString('utf8');
    expect(body).toContain('\r\n\r\n');
    expect(body).toContain('世界');
    expect(bytes.length).toBeGreaterThan(body.length); // multi-byte characters present

    const claude = model();
    server.enqueue(script);
    const baseline = summarize(await collect(claude.stream(request)));
    expect(baseline).toMatchObject({
      text: TEXT,
      tools: {},
      ending: { type: 'finish', finishReason: 'stop' },
    });

    // Every offset, a few requests at a time (each takes the next script).
    const offsets = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    const batch = 16;
    for (let i = 0; i < offsets.length; i += batch) {
      const slice = offsets.slice(i, i + batch);
      server.enqueue(...slice.map((at) => ({ ...script, splitAt: [at] })));
      const results = await Promise.all(
        slice.map(async () => summarize(await collect(claude.stream(request)))),
      );
      for (const [j, result] of results.entries()) {
        expect(result, `split at byte ${slice[j]}`).toEqual(baseline);
      }
    }
  }, 30_000);

  it('decodes a tool call with multi-byte input streamed in small pieces', async () => {
    const claude = model();
    server.enqueue(withTool);
    const baseline = summarize(await collect(claude.stream(request)));
    expect(baseline).toMatchObject({
      text: TEXT,
      tools: { 0: { name: 'greet', args: ARGS } },
      ending: { type: 'finish' },
    });
    for (const size of [2, 3, 5, 7]) {
      server.enqueue({ ...withTool, chunkBytes: size });
      expect(summarize(await collect(claude.stream(request))), `pieces of ${size}`).toEqual(
        baseline,
      );
    }
  });
});
