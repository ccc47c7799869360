import { connect } from 'node:net';
import { type ChatChunk, type ChatResponse, Model } from '@orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';

const PIECE = 'x'.repeat(8 * 1024);

/** Streams 8 KiB text deltas for as long as it is read; says when it was stopped. */
class EndlessModel extends Model {
  pulls = 0;
  #resume: (() => void) | undefined;
  stopped: Promise<void>;
  #stop!: () => void;

  constructor() {
    super({
      name: 'endless',
      provider: 'test',
      capabilities: { features: ['chat', 'text_generation', 'streaming'], contextWindow: 8_000 },
      pricing: { inputPerMillion: 1, outputPerMillion: 1 },
    });
    this.stopped = new Promise((resolve) => {
      this.#stop = resolve;
    });
  }

  async generate(): Promise<ChatResponse> {
    throw new Error('stream only');
  }

  override async *stream(): AsyncIterable<ChatChunk> {
    try {
      for (;;) {
        this.pulls++;
        this.#resume?.();
        yield { type: 'text-delta', text: PIECE };
      }
    } finally {
      this.#stop();
    }
  }

  /** Resolves at the next pull. */
  nextPull(): Promise<void> {
    return new Promise((resolve) => {
      this.#resume = resolve;
    });
  }
}

/** Polls until `count()` has not moved for `quietMs`; returns it. */
async function settled(count: () => number, quietMs = 150): Promise<number> {
  let last = count();
  for (let since = Date.now(); Date.now() - since < quietMs; ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (count() !== last) {
      last = count();
      since = Date.now();
    }
  }
  return last;
}

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('streamed chat completions', () => {
  it('stop pulling from the engine while the client does not read, resume when it does, and abort it on disconnect', async () => {
    const model = new EndlessModel();
    h = await startHarness({ auth: { enabled: false } }, { models: [model] });
    const body = JSON.stringify({
      model: 'endless',
      stream: true,
      messages: [{ role: 'user', content: 'go on' }],
    });
    const socket = connect(Number(new URL(h.url).port), '127.0.0.1');
    socket.pause(); // read nothing
    const firstPull = model.nextPull();
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await firstPull;
    const held = await settled(() => model.pulls);
    // The socket buffers fill, then the gateway waits: a few MiB, not an endless stream.
    expect(held * PIECE.length).toBeLessThan(64 * 1024 * 1024);

    const more = model.nextPull();
    socket.on('data', () => {});
    socket.resume();
    await more;
    expect(model.pulls).toBeGreaterThan(held);

    socket.destroy();
    await model.stopped;
  });
});

/** The `model` of every `data:` event of an OpenAI stream. */
function modelsOf(sse: string): string[] {
  return sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => (JSON.parse(e.slice('data: '.length)) as { model: string }).model);
}

describe('a streamed answer served from the cache', () => {
  it('names the model that made it, in the headers and in every event, not "auto"', async () => {
    h = await startHarness({ auth: { enabled: false }, cache: { enabled: true } });
    const send = () =>
      fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'auto',
          stream: true,
          messages: [{ role: 'user', content: 'Name three primes.' }],
        }),
      });
    const first = await send();
    const firstText = await first.text();
    const chosen = first.headers.get('x-orchestrator-model');
    expect(chosen).toBeTruthy();
    expect(chosen).not.toBe('auto');
    expect(first.headers.get('x-orchestrator-cached')).toBe('false');

    const second = await send();
    const secondText = await second.text();
    expect(second.headers.get('x-orchestrator-cached')).toBe('true');
    expect(second.headers.get('x-orchestrator-model')).toBe(chosen);
    const models = modelsOf(secondText);
    expect(models.length).toBeGreaterThan(0);
    expect(new Set(models)).toEqual(new Set([chosen]));
    expect(new Set(modelsOf(firstText))).toEqual(new Set([chosen]));
    expect(secondText.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
