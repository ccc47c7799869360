import { describe, expect, it } from 'vitest';
import { NdjsonLineReader, type NdjsonLineStats, newLineStats } from './ndjson-line-reader.js';

function source(pieces: readonly Uint8Array[]): ReadableStreamDefaultReader<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]!);
      else controller.close();
    },
  }).getReader();
}

const encode = (text: string) => new TextEncoder().encode(text);
const handlers = {
  onMalformed: (line: Uint8Array) =>
    new Error(`malformed: ${new TextDecoder().decode(line).trim()}`),
  onSkipped: (stats: NdjsonLineStats) => new Error(`skipped ${stats.delivered - stats.received}`),
};

/** Reads like the SDK does, counting parsed messages as the adapter does. */
async function readAll(reader: NdjsonLineReader, stats: NdjsonLineStats): Promise<string[]> {
  const deliveries: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return deliveries;
    const text = new TextDecoder().decode(value);
    deliveries.push(text);
    for (const line of text.split('\n').filter((l) => l !== '')) {
      try {
        JSON.parse(line);
        stats.received++;
      } catch {
        // The SDK skips it.
      }
    }
  }
}

describe('NdjsonLineReader', () => {
  const body = encode('{"a":"é"}\r\n\n{"b":"🎉"}\n   \r\n{"error":"x"}\n{"c":3}');

  it('hands out whole lines only, whatever the split, without blank ones', async () => {
    for (let cut = 0; cut <= body.length; cut++) {
      for (const second of [cut, Math.min(body.length, cut + 3)]) {
        const stats = newLineStats();
        const pieces = [body.subarray(0, cut), body.subarray(cut, second), body.subarray(second)];
        const deliveries = await readAll(
          new NdjsonLineReader(source(pieces), stats, handlers),
          stats,
        );
        expect(deliveries.join('')).toBe('{"a":"é"}\r\n{"b":"🎉"}\n{"error":"x"}\n{"c":3}');
        expect(deliveries.slice(0, -1).every((d) => d.endsWith('\n'))).toBe(true);
        expect(stats.delivered).toBe(4);
        expect(stats.errorLine).toBe(true);
      }
    }
  });

  it('fails on a line not shaped like an object, after the lines before it', async () => {
    const stats = newLineStats();
    const reader = new NdjsonLineReader(
      source([encode('{"a":1}\n{"b":\n{"c":3}\n')]),
      stats,
      handlers,
    );
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}\n');
    stats.received++;
    await expect(reader.read()).rejects.toThrow('malformed: {"b":');
    await expect(reader.read()).rejects.toThrow('malformed');
    expect(stats.delivered).toBe(1);
  });

  it('fails at the next read when the SDK skipped a line it could not parse', async () => {
    const stats = newLineStats();
    const reader = new NdjsonLineReader(
      source([encode('{"a":1}\n{"b": oops}\n{"c":3}\n'), encode('{"d":4}\n')]),
      stats,
      handlers,
    );
    await expect(readAll(reader, stats)).rejects.toThrow('skipped 1');
  });

  it('checks a last line that has no newline', async () => {
    const stats = newLineStats();
    const reader = new NdjsonLineReader(source([encode('{"a":1}\n<html>')]), stats, handlers);
    await expect(readAll(reader, stats)).rejects.toThrow('malformed: <html>');
  });
});
