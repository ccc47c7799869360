import type { ChatChunk } from '@orchestrator/core';
import { FakeHuggingFaceServer } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, collect, KEY } from './__tests__/hf-fixtures.js';
import type { FetchFunction } from './huggingface-fetch.js';
import { HuggingFaceModel } from './huggingface-model.js';

const TEXT = 'héllo 世界🎉';
const USAGE = { inputTokens: 3, outputTokens: 5 };

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

describe.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
] as const)('a stream split at every byte offset (%s)', (_label, lineEnding) => {
  const server = new FakeHuggingFaceServer({ lineEnding });
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it('decodes to the identical chunks', async () => {
    let recorded: ArrayBuffer | undefined;
    const recordingFetch: FetchFunction = async (input, init) => {
      const response = await fetch(input, init);
      recorded = await response.arrayBuffer();
      return new Response(recorded, { status: response.status, headers: response.headers });
    };
    // A short model id keeps the recorded body (and the number of offsets) small.
    const settings = { model: 'm', endpointUrl: server.url, apiKey: KEY };
    server.enqueue({ text: TEXT, usage: USAGE });
    const reference = await collect(
      new HuggingFaceModel({ ...settings, fetch: recordingFetch }).stream(ask('x')),
    );
    expect(reference.map((c) => (c.type === 'text-delta' ? c.text : '')).join('')).toBe(TEXT);
    expect(reference.at(-1)?.type).toBe('finish');

    const body = Buffer.from(recorded!);
    expect(body.length).toBeLessThan(800);
    expect(body.includes(Buffer.from('\r\n'))).toBe(lineEnding === '\r\n');
    const offsets = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
    // Every request takes one script; they differ only in where the body is split.
    for (const offset of offsets) server.enqueue({ text: TEXT, usage: USAGE, splitAt: [offset] });
    const model = new HuggingFaceModel(settings);
    const results = await pool(
      offsets.map(() => () => collect(model.stream(ask('x')))),
      12,
    );
    const failures = results.filter(
      (chunks: ChatChunk[]) => JSON.stringify(chunks) !== JSON.stringify(reference),
    );
    expect(failures).toEqual([]);
    expect(results).toHaveLength(offsets.length);
  });
});
