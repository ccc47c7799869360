import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from './read-sse.js';

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(chunks: readonly Uint8Array[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(streamOf(chunks))) events.push(event);
  return events;
}

describe('readSse', () => {
  const text =
    ': keep-alive\r\n\r\nevent: decision\r\ndata: {"model":"gpt-4"}\r\n\r\n' +
    'event: chunk\ndata: {"text":"naïve café — 日本語 🚀"}\n\n' +
    'data: line one\ndata: line two\n\n' +
    'event: record\ndata: {"done":true}';
  const bytes = new TextEncoder().encode(text);
  const expected: SseEvent[] = [
    { event: 'decision', data: '{"model":"gpt-4"}' },
    { event: 'chunk', data: '{"text":"naïve café — 日本語 🚀"}' },
    { event: 'message', data: 'line one\nline two' },
    // The last event has no blank line after it: the stream ended inside it, so it is dropped.
  ];

  it('decodes events, comments, CRLF and multi-line data', async () => {
    expect(await collect([bytes])).toEqual(expected);
  });

  it('decodes the same whatever byte boundary the stream is split at (inside UTF-8, between CR and LF)', async () => {
    for (let at = 1; at < bytes.length; at++) {
      expect(await collect([bytes.slice(0, at), bytes.slice(at)]), `split at ${at}`).toEqual(
        expected,
      );
    }
    expect(await collect([...bytes].map((b) => Uint8Array.of(b)))).toEqual(expected);
  });
});
