import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer } from './fake-server.js';
import { hang, sendJson, sseEvent, writeStreamBody } from './write-stream.js';

const SSE = { contentType: 'text/event-stream', keepAlive: ': ping\n\n', malformed: 'data: {\n\n' };

let server: FakeServer;

afterEach(async () => {
  await server.close();
});

async function started(setup: (s: FakeServer) => void): Promise<FakeServer> {
  server = new FakeServer();
  setup(server);
  await server.start();
  return server;
}

describe('FakeServer request and close notifications', () => {
  it('reports a request as it arrives and a client that goes away before the reply', async () => {
    await started((s) => s.route('GET', '/slow', ({ res }) => hang(res)));
    const arrived = server.waitForRequest('/slow');
    const closedByClient = server.waitForClientClose('/slow');
    const clientClosed = new Promise((resolve) => server.events.once('client-closed', resolve));
    const controller = new AbortController();
    const call = fetch(`${server.url}/slow`, { signal: controller.signal }).catch(() => undefined);
    expect((await arrived).path).toBe('/slow');
    controller.abort();
    await call;
    const closed = await closedByClient;
    expect(closed).toMatchObject({ path: '/slow', completed: false, byClient: true });
    expect(await clientClosed).toBe(closed.request);
  });

  it("does not count a script's own cut as the client's", async () => {
    await started((s) =>
      s.route('GET', '/stream', ({ res, script }) =>
        writeStreamBody(res, ['data: 1\n\n', 'data: 2\n\n'], script, SSE),
      ),
    );
    server.enqueue({ cutAfterChunks: 1 });
    const closed = server.waitForClose('/stream');
    await fetch(`${server.url}/stream`)
      .then((r) => r.text())
      .catch(() => undefined);
    expect(await closed).toMatchObject({ completed: false, byClient: false });
  });

  it('ends a stream with an in-band error event, CRLF lines included', async () => {
    await started((s) =>
      s.route('GET', '/stream', ({ res, script }) =>
        writeStreamBody(
          res,
          ['a', 'b', 'c'].map((t) => sseEvent({ t }, undefined, '\r\n')),
          script,
          { ...SSE, errorEvent: { after: 1, event: sseEvent({ error: 'boom' }, 'error', '\r\n') } },
        ),
      ),
    );
    const text = await (await fetch(`${server.url}/stream`)).text();
    expect(text).toBe('data: {"t":"a"}\r\n\r\nevent: error\r\ndata: {"error":"boom"}\r\n\r\n');
  });
});

describe('FakeServer on-demand scripts', () => {
  it('leaves the queue as it was when a handler answers without taking its script', async () => {
    let busy = 1;
    await started((s) =>
      s.route(
        'GET',
        '/x',
        (ctx) => {
          expect(ctx.script).toBeUndefined();
          if (busy-- > 0) return sendJson(ctx.res, 503, { loading: true });
          return sendJson(ctx.res, 200, { status: ctx.takeScript()?.status ?? 200 });
        },
        { script: 'on-demand' },
      ),
    );
    server.enqueue({ status: 201 }, { status: 202 });
    const status = async () => (await fetch(`${server.url}/x`)).status;
    expect(await status()).toBe(503);
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await fetch(`${server.url}/x`)).json());
    expect(bodies).toEqual([{ status: 201 }, { status: 202 }, { status: 200 }]);
  });

  it('hands the script over before the handler on other routes', async () => {
    await started((s) =>
      s.route('GET', '/x', (ctx) => {
        expect(ctx.takeScript()).toBe(ctx.script);
        return sendJson(ctx.res, 200, { status: ctx.script?.status });
      }),
    );
    server.enqueue({ status: 201 });
    expect(await (await fetch(`${server.url}/x`)).json()).toEqual({ status: 201 });
  });
});
