import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  TimeoutError,
} from '@orchestrator/core';

// Checks every provider adapter's tests share. They throw node:assert errors
// (which any test runner reports) rather than importing a runner, so that this
// package stays free of a test-runner dependency for the demo and the benches.

/** What the transport check needs of an adapter's model. */
export interface TransportCheckedModel {
  generate(request: ChatRequest): Promise<ChatResponse>;
  stream(request: ChatRequest): AsyncIterable<ChatChunk>;
}

/** Settings the check adds to the model's own: a `fetch` of the caller's, or nothing. */
export interface TransportCheckSettings {
  fetch?: typeof globalThis.fetch;
}

/** A fake provider server the check starts and closes. */
export interface CheckedServer {
  start(): Promise<unknown>;
  close(): Promise<unknown>;
}

export interface DefaultTransportCheck<S extends CheckedServer> {
  /** The fake provider server the model talks to; the check starts it and closes it. */
  readonly server: S;
  /**
   * Builds the adapter's model against the started `server`, with `settings`
   * spread into its own (`{}` for the default transport, `{ fetch }` for a
   * caller's fetch).
   */
  readonly makeModel: (server: S, settings: TransportCheckSettings) => TransportCheckedModel;
  /** The prompt sent; a short one by default. */
  readonly request?: ChatRequest;
}

const SAY_HI: ChatRequest = { messages: [{ role: 'user', content: 'Say hi.' }], maxTokens: 16 };

/**
 * Asserts that an adapter sends through its default transport and never
 * through the global `fetch`, for a plain and a streamed call (both must
 * answer some text), and that a `fetch` given in its settings is used instead
 * of that transport for both.
 */
export async function expectDefaultTransport<S extends CheckedServer>(
  check: DefaultTransportCheck<S>,
): Promise<void> {
  const request = check.request ?? SAY_HI;
  const globalFetch = globalThis.fetch;
  await check.server.start();
  try {
    let globalCalls = 0;
    globalThis.fetch = (input, init) => {
      globalCalls++;
      return globalFetch(input, init);
    };
    try {
      const model = check.makeModel(check.server, {});
      const response = await model.generate(request);
      assert.ok(response.content.length > 0, 'the plain call answered no text');
      assert.ok(
        (await streamedText(model, request)).length > 0,
        'the streamed call answered no text',
      );
    } finally {
      globalThis.fetch = globalFetch;
    }
    assert.equal(
      globalCalls,
      0,
      'the model called the global fetch; it should send through its default transport',
    );

    let givenCalls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      givenCalls++;
      return globalFetch(input, init);
    };
    const model = check.makeModel(check.server, { fetch });
    await model.generate(request);
    assert.ok(givenCalls > 0, 'a plain call did not use the fetch given in the settings');
    const beforeStream = givenCalls;
    await streamedText(model, request);
    assert.ok(
      givenCalls > beforeStream,
      'a streamed call did not use the fetch given in the settings',
    );
  } finally {
    await check.server.close();
  }
}

/** The text of a streamed answer; an error chunk is thrown. */
async function streamedText(model: TransportCheckedModel, request: ChatRequest): Promise<string> {
  let text = '';
  for await (const chunk of model.stream(request)) {
    if (chunk.type === 'error') throw chunk.error;
    if (chunk.type === 'text-delta') text += chunk.text;
  }
  return text;
}

/** A loopback server that answers one start and then stalls (see `startStallingServer`). */
export interface StallingServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Settles when the connection of the latest request closes (the client gave up on it). */
  closed(): Promise<unknown>;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a loopback server that answers every request with status 200, the
 * given content type and the start of a body (`body`: part of a JSON object,
 * or some stream events), then sends nothing more and never ends the
 * response — for testing that a deadline covers the body and that the
 * adapter closes the connection when it gives up.
 */
export async function startStallingServer(start: {
  readonly contentType: string;
  readonly body: string;
}): Promise<StallingServer> {
  let closed: Promise<unknown> = new Promise(() => {});
  const server = createServer((req, res) => {
    closed = once(req.socket, 'close');
    res.writeHead(200, { 'content-type': start.contentType });
    res.write(start.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closed: () => closed,
    close: async () => {
      server.closeAllConnections();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Asserts that `call`, made against a server that sends `start` and then
 * stalls, fails with core's `TimeoutError` and closes its connection (the
 * deadline covers the body, and giving up releases the socket). The server is
 * closed afterwards either way.
 */
export async function expectStalledCallTimesOut(
  start: Parameters<typeof startStallingServer>[0],
  call: (url: string) => Promise<unknown>,
): Promise<void> {
  const server = await startStallingServer(start);
  try {
    const error = await rejectionOf(call(server.url));
    // isInstance, not instanceof: it also knows a TimeoutError from another copy of core.
    assert.ok(
      TimeoutError.isInstance(error),
      `expected a TimeoutError, got ${error?.name}: ${error?.message}`,
    );
    await server.closed();
  } finally {
    await server.close();
  }
}

/** The error `promise` rejects with; throws if it fulfils instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
