import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  TimeoutError,
} from '@orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  expectDefaultTransport,
  expectStalledCallTimesOut,
  rejectionOf,
  type StallingServer,
  startStallingServer,
  type TransportCheckedModel,
  type TransportCheckSettings,
} from './adapter-checks.js';

// The fetch a well-behaved toy adapter uses by default: taken once, here, so
// that replacing globalThis.fetch later does not reach it (as a transport of
// the adapter's own does not).
const ownTransport = globalThis.fetch.bind(globalThis);

/** A server that answers every request with the text "hi". */
class HiServer {
  #server: Server | undefined;
  url = '';
  async start(): Promise<void> {
    this.#server = createServer((_req, res) => res.end('hi'));
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }
  closes = 0;
  async close(): Promise<void> {
    this.closes++;
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

type Send = (url: string) => Promise<Response>;

/** A toy adapter: `plain` and `streamed` say which fetch each kind of call sends through. */
class ToyModel implements TransportCheckedModel {
  constructor(
    private readonly url: string,
    private readonly plain: Send,
    private readonly streamed: Send,
  ) {}

  async generate(_request: ChatRequest): Promise<ChatResponse> {
    const content = await (await this.plain(this.url)).text();
    return { content } as ChatResponse;
  }

  async *stream(_request: ChatRequest): AsyncIterable<ChatChunk> {
    yield { type: 'text-delta', text: await (await this.streamed(this.url)).text() };
  }
}

function toy(pick: (given: Send | undefined) => { plain: Send; streamed: Send }) {
  return (server: HiServer, settings: TransportCheckSettings): ToyModel => {
    const given = settings.fetch && ((url: string) => (settings.fetch as typeof fetch)(url));
    const { plain, streamed } = pick(given);
    return new ToyModel(server.url, plain, streamed);
  };
}

const viaOwn: Send = (url) => ownTransport(url);
const viaGlobal: Send = (url) => globalThis.fetch(url);

describe('expectDefaultTransport', () => {
  it('passes an adapter that sends through its own transport and honours settings.fetch', async () => {
    const server = new HiServer();
    await expectDefaultTransport({
      server,
      makeModel: toy((given) => ({ plain: given ?? viaOwn, streamed: given ?? viaOwn })),
    });
  });

  it('fails an adapter whose plain or streamed call uses the global fetch', async () => {
    for (const pick of [
      (given: Send | undefined) => ({ plain: given ?? viaGlobal, streamed: given ?? viaOwn }),
      (given: Send | undefined) => ({ plain: given ?? viaOwn, streamed: given ?? viaGlobal }),
    ]) {
      const server = new HiServer();
      const error = await rejectionOf(expectDefaultTransport({ server, makeModel: toy(pick) }));
      expect(error.message).toMatch(/called the global fetch/);
    }
  });

  it('fails an adapter that ignores settings.fetch, plain or streamed', async () => {
    const plainIgnores = new HiServer();
    const plainError = await rejectionOf(
      expectDefaultTransport({
        server: plainIgnores,
        makeModel: toy((given) => ({ plain: viaOwn, streamed: given ?? viaOwn })),
      }),
    );
    expect(plainError.message).toMatch(/plain call did not use the fetch given/);

    const streamIgnores = new HiServer();
    const streamError = await rejectionOf(
      expectDefaultTransport({
        server: streamIgnores,
        makeModel: toy((given) => ({ plain: given ?? viaOwn, streamed: viaOwn })),
      }),
    );
    expect(streamError.message).toMatch(/streamed call did not use the fetch given/);
  });

  it('restores the global fetch and closes the server even when the check fails', async () => {
    const before = globalThis.fetch;
    const server = new HiServer();
    await rejectionOf(
      expectDefaultTransport({
        server,
        makeModel: toy(() => ({ plain: viaGlobal, streamed: viaGlobal })),
      }),
    );
    expect(globalThis.fetch).toBe(before);
    expect(server.closes).toBe(1);
  });
});

describe('startStallingServer', () => {
  let stalling: StallingServer | undefined;
  afterEach(() => stalling?.close());

  it('sends its start and then nothing, until the client gives up and the connection closes', async () => {
    stalling = await startStallingServer({ contentType: 'application/json', body: '{"a":[' });
    const response = await ownTransport(stalling.url, { signal: AbortSignal.timeout(100) });
    expect(response.headers.get('content-type')).toBe('application/json');
    const error = await rejectionOf(response.text());
    expect(error.name).toBe('TimeoutError');
    await stalling.closed();
  });
});

describe('expectStalledCallTimesOut', () => {
  const STALL = { contentType: 'application/json', body: '{"a":[' };
  /** Reads the body under a 100 ms deadline and reports a timeout as core's TimeoutError. */
  const timedRead = async (url: string) => {
    const response = await ownTransport(url, { signal: AbortSignal.timeout(100) });
    try {
      return await response.text();
    } catch (cause) {
      throw new TimeoutError('the body stalled', { provider: 'toy', cause });
    }
  };

  it('passes a call that gives up on the stalled body with a TimeoutError', async () => {
    await expectStalledCallTimesOut(STALL, timedRead);
  });

  it('fails a call that fails otherwise, or not at all', async () => {
    const plain = await rejectionOf(
      expectStalledCallTimesOut(STALL, async (url) => {
        await timedRead(url).catch(() => undefined);
        throw new Error('not a timeout');
      }),
    );
    expect(plain.message).toMatch(/expected a TimeoutError, got Error: not a timeout/);
    const none = await rejectionOf(expectStalledCallTimesOut(STALL, async () => 'fine'));
    expect(none.message).toMatch(/expected the call to fail/);
  });
});

describe('rejectionOf', () => {
  it('returns the error of a rejected promise and throws on a fulfilled one', async () => {
    const error = new Error('boom');
    expect(await rejectionOf(Promise.reject(error))).toBe(error);
    await expect(rejectionOf(Promise.resolve(1))).rejects.toThrow(/expected the call to fail/);
  });
});
