import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { startSse, write } from './sse.js';

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

function get(url: string): Promise<{ headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      // 'close' also when the server destroys the connection mid-response.
      res.on('close', () => resolve({ headers: res.headers, body }));
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
