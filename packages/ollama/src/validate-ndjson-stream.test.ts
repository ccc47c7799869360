import { describe, expect, it } from 'vitest';
import { validateNdjsonStream } from './validate-ndjson-stream.js';

function source(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]!);
      else controller.close();
    },
  });
}

async function lines(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder().decode(new Uint8Array(await new Response(stream).arrayBuffer()));
}

const pass = () => undefined;
const malformed = (line: string) => new Error(`malformed: ${line}`);

describe('validateNdjsonStream', () => {
  const body = new TextEncoder().encode('{"a":"é"}\r\n\n{"b":"🎉"}\n   \r\n{"c":3}');

  it('re-frames any split into the same whole lines, dropping blank ones', async () => {
    for (let cut = 0; cut <= body.length; cut++) {
      for (const second of [cut, Math.min(body.length, cut + 3)]) {
        const pieces = [body.subarray(0, cut), body.subarray(cut, second), body.subarray(second)];
        expect(await lines(validateNdjsonStream(source(pieces), pass, malformed))).toBe(
          '{"a":"é"}\r\n{"b":"🎉"}\n{"c":3}',
        );
      }
    }
  });

  it('delivers the lines before a malformed one, then fails', async () => {
    const text = new TextEncoder().encode('{"a":1}\n{"b":\n{"c":3}\n');
    const reader = validateNdjsonStream(source([text]), pass, malformed).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}\n');
    await expect(reader.read()).rejects.toThrow('malformed: {"b":');
  });

  it('ends with the error a check returns', async () => {
    const text = new TextEncoder().encode('{"a":1}\n{"error":"boom"}\n');
    const stream = validateNdjsonStream(
      source([text]),
      (v) => ((v as { error?: string }).error ? new Error('stream error') : undefined),
      malformed,
    );
    const reader = stream.getReader();
    expect((await reader.read()).done).toBe(false);
    await expect(reader.read()).rejects.toThrow('stream error');
  });
});
