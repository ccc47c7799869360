import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { SseWriter, startSse, write } from './sse.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** A server whose one route runs `route` on the hijacked SSE response, counting socket writes. */
async function serve(
  route: (res: ReturnType<typeof startSse>) => Promise<void>,
): Promise<{ url: string; socketWrites: () => number }> {
  const app = Fastify();
  apps.push(app);
  let writes = 0;
  app.get('/sse', async (_request, reply) => {
    reply.header('x-request-id', 'req_1');
    const socket = reply.raw.socket!;
    // Every write that reaches the socket's handle goes through one of these.
    const writev = socket._writev?.bind(socket);
    const write1 = socket._write.bind(socket);
    socket._writev = (chunks, cb) => {
      writes++;
      writev!(chunks, cb);
    };
    socket._write = (chunk, encoding, cb) => {
      writes++;
      write1(chunk, encoding, cb);
    };
    await route(startSse(reply, { 'x-extra': 'yes' }));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/sse`, socketWrites: () => writes };
}

function get(
  url: string,
): Promise<{ headers: Record<string, unknown>; body: string; pieces: string[] }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      // One piece per chunk of the chunked body.
      const pieces: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        pieces.push(c);
      });
      // 'close' also when the server destroys the connection mid-response.
      res.on('close', () => resolve({ headers: res.headers, body: pieces.join(''), pieces }));
    })
      .on('error', reject)
      .end();
  });
}

describe('SSE responses', () => {
  it('send the head and the events of one tick in a single socket write', async () => {
    const s = await serve(async (res) => {
      expect(write(res, 'data: 1\n\n')).toBe(true);
      expect(write(res, 'data: 2\n\n')).toBe(true);
      expect(write(res, 'data: 3\n\n')).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
      // A later tick is a separate write (nothing is held back).
      write(res, 'data: 4\n\n');
      await new Promise((r) => setTimeout(r, 5));
      res.end();
    });
    const { headers, body } = await get(s.url);
    expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(headers['x-request-id']).toBe('req_1');
    expect(headers['x-extra']).toBe('yes');
    expect(body).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n');
    // head + events 1-3 | event 4 | the chunked terminator
    expect(s.socketWrites()).toBe(3);
  });

  it('reports a gone client as false instead of writing', async () => {
    let result: boolean | Promise<boolean> = true;
    const s = await serve(async (res) => {
      res.destroy();
      result = write(res, 'data: x\n\n');
    });
    await get(s.url).catch(() => undefined);
    expect(result).toBe(false);
  });
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SseWriter', () => {
  it('sends the first event at once, then the events of each tick joined in one chunk', async () => {
    const s = await serve(async (res) => {
      const sse = new SseWriter(res);
      expect(sse.send('data: 1\n\n')).toBe(true);
      expect(sse.send('data: 2\n\n')).toBe(true);
      expect(sse.send('data: 3\n\n')).toBe(true);
      await tick();
      expect(sse.send('data: 4\n\n')).toBe(true);
      sse.send('data: 5\n\n');
      sse.end();
    });
    const { headers, body, pieces } = await get(s.url);
    expect(headers['x-extra']).toBe('yes');
    expect(body).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\ndata: 5\n\n');
    // Chunks of the body: the first event alone, then one per tick.
    expect(pieces).toEqual(['data: 1\n\n', 'data: 2\n\ndata: 3\n\n', 'data: 4\n\ndata: 5\n\n']);
    // head + event 1 | events 2-3 | events 4-5 with the chunked terminator
    expect(s.socketWrites()).toBe(3);
  });

  it('makes the caller wait while the client does not read, and resumes on drain', async () => {
    const event = `data: ${'x'.repeat(8 * 1024)}\n\n`;
    let sent = 0;
    let pushedBack!: () => void;
    const waiting = new Promise<void>((resolve) => {
      pushedBack = resolve;
    });
    let afterWait: boolean | undefined;
    let routeDone!: () => void;
    const done = new Promise<void>((resolve) => {
      routeDone = resolve;
    });
    const s = await serve(async (res) => {
      const sse = new SseWriter(res);
      // Write until the writer pushes back; a writer that never does fails the bound.
      let result: boolean | Promise<boolean> = true;
      while (sent < 10_000 && typeof result === 'boolean') {
        result = sse.send(event);
        sent++;
        await new Promise((r) => setImmediate(r));
      }
      pushedBack();
      afterWait = await result;
      sse.end();
      routeDone();
    });
    const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
    socket.pause(); // Not a byte is read until the server has been made to wait.
    socket.write('GET /sse HTTP/1.1\r\nhost: x\r\n\r\n');
    await waiting;
    // 10,000 events of 8 KiB would be 80 MiB: pushed back long before (socket buffers).
    expect(sent).toBeGreaterThan(1);
    expect(sent).toBeLessThan(10_000);
    expect(afterWait).toBeUndefined();
    socket.on('data', () => {});
    socket.resume();
    await done;
    expect(afterWait).toBe(true);
    socket.destroy();
  });

  it('reports a gone client as false', async () => {
    let result: boolean | Promise<boolean> = true;
    const s = await serve(async (res) => {
      const sse = new SseWriter(res);
      sse.send('data: 1\n\n');
      res.destroy();
      result = sse.send('data: 2\n\n');
      sse.end();
    });
    await get(s.url).catch(() => undefined);
    expect(result).toBe(false);
  });
});
