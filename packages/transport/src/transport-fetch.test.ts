import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BufferedResponse } from './buffered-response.js';
import { createTransportFetch, type TransportFetch } from './transport-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

const open: { server: Server; fetch?: TransportFetch }[] = [];

async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  open.push({ server });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function transport(options?: Parameters<typeof createTransportFetch>[0]): TransportFetch {
  const f = createTransportFetch(options);
  open.push({ server: createServer(), fetch: f });
  return f;
}

afterEach(async () => {
  for (const { server, fetch } of open.splice(0)) {
    await fetch?.close();
    server.closeAllConnections();
    if (server.listening) await new Promise((r) => server.close(r));
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createTransportFetch: requests and responses', () => {
  it('round-trips method, headers, body, status, status text and response headers', async () => {
    const { url } = await serve((req, res, body) => {
      res.statusMessage = 'Made';
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('x-request-id', 'req-1');
      res.setHeader('content-type', 'application/json');
      res.statusCode = 201;
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          multi: req.headers['x-multi'],
          body: body.toString('utf8'),
        }),
      );
    });
    const f = transport();
    const headers = new Headers({ Authorization: 'Bearer k', 'Content-Type': 'application/json' });
    headers.append('X-Multi', 'one');
    headers.append('X-Multi', 'two');
    const response = await f(`${url}/v1/chat?x=1`, {
      method: 'post',
      headers,
      body: '{"hello":"wörld"}',
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${url}/v1/chat?x=1`);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/v1/chat?x=1',
      auth: 'Bearer k',
      type: 'application/json',
      multi: 'one, two',
      body: '{"hello":"wörld"}',
    });
  });

  it('takes headers as a record or as pairs, and gives a string body text/plain by default', async () => {
    const { url } = await serve((req, res) => {
      res.end(JSON.stringify([req.headers['x-a'], req.headers['content-type']]));
    });
    const f = transport();
    const a = await f(url, { method: 'POST', headers: { 'X-A': '1' }, body: 'x' });
    expect(await a.json()).toEqual(['1', 'text/plain;charset=UTF-8']);
    const b = await f(url, {
      method: 'POST',
      headers: [
        ['x-a', '2'],
        ['content-type', 'text/csv'],
      ],
      body: 'x',
    });
    expect(await b.json()).toEqual(['2', 'text/csv']);
  });

  it('drops hop-by-hop headers (the pool manages connections) and sends the rest', async () => {
    const { url } = await serve((req, res) => {
      res.end(
        JSON.stringify([req.headers['keep-alive'], req.headers.upgrade, req.headers['x-kept']]),
      );
    });
    const f = transport();
    const response = await f(url, {
      headers: {
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        'x-kept': 'yes',
      },
    });
    expect(await response.json()).toEqual([null, null, 'yes']);
  });

  it('encodes FormData, URLSearchParams and byte bodies as fetch does', async () => {
    const { url } = await serve((req, res, body) => {
      res.end(JSON.stringify({ type: req.headers['content-type'], body: body.toString('latin1') }));
    });
    const f = transport();
    const form = new FormData();
    form.set('model', 'whisper-1');
    form.set('file', new Blob([new Uint8Array([1, 2, 3])]), 'a.wav');
    const multipart = (await (await f(url, { method: 'POST', body: form })).json()) as {
      type: string;
      body: string;
    };
    expect(multipart.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.body).toContain('name="model"\r\n\r\nwhisper-1');
    expect(multipart.body).toContain('filename="a.wav"');
    const params = await (
      await f(url, { method: 'POST', body: new URLSearchParams({ a: 'b c' }) })
    ).json();
    expect(params).toEqual({
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: 'a=b+c',
    });
    const bytes = await (
      await f(url, { method: 'PUT', body: new Uint8Array([0x41, 0x42]).buffer })
    ).json();
    expect(bytes).toEqual({ body: 'AB' });
  });

  it('accepts a Request as input', async () => {
    const { url } = await serve((req, res, body) => {
      res.end(`${req.method} ${req.headers['x-k']} ${body.toString()}`);
    });
    const f = transport();
    const request = new Request(url, { method: 'POST', headers: { 'x-k': 'v' }, body: 'payload' });
    expect(await (await f(request)).text()).toBe('POST v payload');
  });

  it('gives null-body statuses and HEAD responses no body', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/none') {
        res.statusCode = 204;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end('{"a":1}');
    });
    const f = transport();
    const none = await f(`${url}/none`, { method: 'DELETE' });
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
    const head = await f(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    // The pooled connection is still good after both.
    expect(await (await f(url)).json()).toEqual({ a: 1 });
  });

  it('refuses bad input with errors naming the problem', async () => {
    const f = transport();
    await expect(f('not a url')).rejects.toThrow(/not a valid absolute URL/);
    await expect(f('file:///etc/passwd')).rejects.toThrow(/unsupported protocol file:/);
    await expect(f('http://user:pw@127.0.0.1/')).rejects.toThrow(/credentials/);
    await expect(f('http://127.0.0.1/', { method: 'GET', body: 'x' })).rejects.toThrow(
      /GET request cannot have a body/,
    );
    await expect(f('http://127.0.0.1/', { method: 'TRACE' })).rejects.toThrow(/forbidden/);
    expect(() => createTransportFetch({ bodyTimeoutMs: -1 })).toThrow(/bodyTimeoutMs/);
    expect(() => createTransportFetch({ connections: 0 })).toThrow(/connections/);
  });
});

describe('createTransportFetch: buffering and streaming', () => {
  it('reads a JSON body whole before resolving, so a deadline on the fetch covers the body', async () => {
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"part":');
      setTimeout(() => res.end('"rest"}'), 150);
    });
    const f = transport();
    const started = performance.now();
    const response = await f(url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await response.json()).toEqual({ part: 'rest' });
  });

  it('hands an event stream over chunk by chunk, before the server has ended it', async () => {
    let finish: (() => void) | undefined;
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write('data: 1\n\n');
      finish = () => res.end('data: 2\n\n');
    });
    const f = transport();
    const response = await f(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: 1\n\n');
    finish?.();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toBe('data: 2\n\n');
  });

  it('streams bytes exactly, whatever the chunking (split UTF-8, binary)', async () => {
    const payload = Buffer.concat([
      Buffer.from('data: {"t":"héllo 🌍 — ✓"}\n\n'.repeat(200)),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    ]);
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/x-ndjson');
      let at = 0;
      let size = 1;
      const next = () => {
        if (at >= payload.length) return res.end();
        res.write(payload.subarray(at, at + size));
        at += size;
        size = (size * 3 + 1) % 997 || 1;
        setImmediate(next);
      };
      next();
    });
    const f = transport();
    const response = await f(url);
    const received: Buffer[] = [];
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received.push(Buffer.from(read.value));
    }
    expect(Buffer.concat(received).equals(payload)).toBe(true);
  });

  it('streams a large body of known length instead of holding it in memory', async () => {
    let release: (() => void) | undefined;
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-length', '18');
      res.write('{"a":"');
      // The rest comes only once the client holds the response: a buffering fetch never resolves.
      release = () => res.end('0123456789"}');
    });
    const f = transport({ maxBufferedBytes: 10 });
    const response = await Promise.race([f(url), sleep(5_000).then(() => 'buffered')]);
    if (typeof response === 'string') throw new Error('the fetch waited for the whole body');
    release?.();
    expect(await response.json()).toEqual({ a: '0123456789' });
  });
});

describe('createTransportFetch: cancellation and timeouts', () => {
  it('rejects at once with the reason of an already-aborted signal, sending nothing', async () => {
    let hits = 0;
    const { url } = await serve((_req, res) => {
      hits++;
      res.end();
    });
    const f = transport();
    const reason = new Error('caller gave up');
    await expect(f(url, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(hits).toBe(0);
  });

  it('rejects with the signal reason when aborted before the headers (a timeout says TimeoutError)', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const f = transport();
    const error = await f(url, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    const controller = new AbortController();
    const pending = f(url, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an abort mid-body errors the read with the reason and closes the upstream connection', async () => {
    let upstreamClosed: Promise<unknown> | undefined;
    const { url } = await serve((req, res) => {
      upstreamClosed = once(req.socket, 'close');
      res.setHeader('content-type', 'text/event-stream');
      res.write('data: first\n\n');
      // …and then nothing: the client has to give up.
    });
    const f = transport();
    const controller = new AbortController();
    const response = await f(url, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    await expect(
      Promise.race([upstreamClosed, sleep(5_000).then(() => 'still open')]),
    ).resolves.not.toBe('still open');
  });

  it('cancelling the body stream (a consumer that stops early) closes the upstream connection', async () => {
    let upstreamClosed: Promise<unknown> | undefined;
    const { url } = await serve((req, res) => {
      upstreamClosed = once(req.socket, 'close');
      res.setHeader('content-type', 'text/event-stream');
      res.write('data: first\n\n');
    });
    const f = transport();
    const response = await f(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    await expect(
      Promise.race([upstreamClosed, sleep(5_000).then(() => 'still open')]),
    ).resolves.not.toBe('still open');
  });

  it('an abort while a JSON body is being read rejects the fetch with the reason', async () => {
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"slow":');
    });
    const f = transport();
    const controller = new AbortController();
    const pending = f(url, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    await expect(pending).rejects.toThrow('deadline');
  });

  it('an abort before the headers closes the upstream connection', async () => {
    let upstreamClosed: Promise<unknown> | undefined;
    const { url } = await serve((req) => {
      upstreamClosed = once(req.socket, 'close');
    });
    const f = transport();
    const controller = new AbortController();
    const pending = f(url, { signal: controller.signal });
    while (upstreamClosed === undefined) await sleep(5);
    controller.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
    await expect(
      Promise.race([upstreamClosed, sleep(5_000).then(() => 'still open')]),
    ).resolves.not.toBe('still open');
  });

  it('an abort while queued for a pooled connection rejects at once', async () => {
    const { url } = await serve((req, res) => {
      if (req.url !== '/hang') res.end('ok');
    });
    const f = transport({ connections: 1 });
    const hanging = f(`${url}/hang`).catch((e: unknown) => e);
    await sleep(20);
    const reason = new Error('no longer needed');
    const started = performance.now();
    const queued = f(url, { signal: AbortSignal.timeout(30) }).catch((e: unknown) => e);
    const controller = new AbortController();
    const second = f(url, { signal: controller.signal });
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    const timedOut = await queued;
    expect((timedOut as DOMException).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(1_000);
    void hanging;
  });

  it('the body timer does not run while the consumer holds a streamed body back', async () => {
    const payload = Buffer.alloc(4 * 1024 * 1024, 'a');
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.end(payload);
    });
    const f = transport({ bodyTimeoutMs: 100 });
    const response = await f(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = (await reader.read()).value?.byteLength ?? 0;
    await sleep(400); // four body timeouts without reading
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received += read.value.byteLength;
    }
    expect(received).toBe(payload.length);
  });

  it('headers and body timeouts fail as network errors (TypeError, cause.code as undici and fetch say)', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/stall-body') {
        res.setHeader('content-type', 'text/event-stream');
        res.write('data: 1\n\n');
      }
      // /stall-headers: never answers
    });
    const f = transport({ headersTimeoutMs: 50, bodyTimeoutMs: 50 });
    const headersError = await f(`${url}/stall-headers`).catch((e: unknown) => e);
    expect(headersError).toBeInstanceOf(TypeError);
    expect((headersError as TypeError).message).toBe('fetch failed');
    expect(((headersError as TypeError).cause as { code?: string }).code).toBe(
      'UND_ERR_HEADERS_TIMEOUT',
    );
    const response = await f(`${url}/stall-body`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const bodyError = await reader.read().catch((e: unknown) => e);
    expect(bodyError).toBeInstanceOf(TypeError);
    expect((bodyError as TypeError).message).toBe('terminated');
    expect(((bodyError as TypeError).cause as { code?: string }).code).toBe('UND_ERR_BODY_TIMEOUT');
  });
});

describe('createTransportFetch: redirects', () => {
  it('follows a same-origin 307 with method and body, and turns a 303 into a GET', async () => {
    const { url } = await serve((req, res, body) => {
      if (req.url === '/old') {
        res.writeHead(307, { location: '/new' });
        res.end();
      } else if (req.url === '/see-other') {
        res.writeHead(303, { location: '/new' });
        res.end();
      } else {
        res.end(`${req.method} ${body.toString()} ${req.headers['content-type'] ?? '-'}`);
      }
    });
    const f = transport();
    const kept = await f(`${url}/old`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await kept.text()).toBe('POST {} application/json');
    const changed = await f(`${url}/see-other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await changed.text()).toBe('GET  -');
  });

  it('refuses a redirect to another origin, so the key never leaves for it', async () => {
    const other = await serve((req, res) => {
      res.end(String(req.headers['x-api-key']));
    });
    let seen = 0;
    const { url } = await serve((_req, res) => {
      seen++;
      res.writeHead(302, { location: `${other.url}/steal` });
      res.end();
    });
    const f = transport();
    let reachedOther = false;
    other.server.on('request', () => {
      reachedOther = true;
    });
    await expect(f(url, { headers: { 'x-api-key': 'sk-secret' } })).rejects.toThrow(
      /redirect to another origin is refused/,
    );
    expect(seen).toBe(1);
    expect(reachedOther).toBe(false);
  });

  it("returns the redirect itself with redirect: 'manual', and fails with 'error' or too many hops", async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const f = transport({ maxRedirects: 3 });
    const manual = await f(`${url}/a`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/b');
    await expect(f(`${url}/a`, { redirect: 'error' })).rejects.toThrow(/redirects/);
    await expect(f(`${url}/a`)).rejects.toThrow(/too many redirects/);
  });
});

describe('createTransportFetch: network errors', () => {
  it('a refused connection is TypeError("fetch failed") with the cause, and names no secret', async () => {
    const { url, server } = await serve(() => {});
    await new Promise((r) => server.close(r));
    const f = transport();
    const secret = 'sk-live-SECRET-123456';
    const error = await f(`${url}/v1/models?key=${secret}`, {
      headers: { authorization: `Bearer ${secret}`, 'x-goog-api-key': secret },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
    const everything = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(everything).not.toContain(secret);
  });

  it('a connection cut mid-stream errors the read with TypeError("terminated")', async () => {
    const { url } = await serve((_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write('data: 1\n\n');
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const f = transport();
    const response = await f(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('terminated');
  });
});

describe('createTransportFetch: connect timeout and invalid headers', () => {
  it('a connection that is not up (TLS never answered) in connectTimeoutMs fails with UND_ERR_CONNECT_TIMEOUT', async () => {
    const silent = createNetServer(() => {
      // accepts the TCP connection and never answers the TLS hello
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const port = (silent.address() as AddressInfo).port;
      const f = transport({ connectTimeoutMs: 100 });
      const started = performance.now();
      const error = await f(`https://127.0.0.1:${port}/v1?key=sk-secret-999`).catch(
        (e: unknown) => e,
      );
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe('fetch failed');
      expect(((error as TypeError).cause as { code?: string }).code).toBe(
        'UND_ERR_CONNECT_TIMEOUT',
      );
      expect(inspect(error, { depth: 10 })).not.toContain('sk-secret-999');
    } finally {
      silent.close();
    }
  });

  it('an invalid header value is refused without quoting it', async () => {
    const { url } = await serve((_req, res) => res.end());
    const secret = 'sk-live-SECRET-abcdef';
    const error = await transport()(url, {
      headers: { 'x-api-key': `${secret}\r\nx-injected: 1` },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    const everything = `${inspect(error, { depth: 10 })} ${(error as Error).stack}`;
    expect(everything).not.toContain(secret);
  });

  it('sends Content-Length for bodies of known length (0 for a POST without one), chunks streams', async () => {
    const { url } = await serve((req, res) => {
      res.end(`${req.headers['content-length']} ${req.headers['transfer-encoding']}`);
    });
    const f = transport();
    expect(await (await f(url, { method: 'POST' })).text()).toBe('0 undefined');
    expect(await (await f(url, { method: 'POST', body: 'héllo' })).text()).toBe('6 undefined');
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('abc'));
        c.close();
      },
    });
    expect(
      await (await f(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)).text(),
    ).toBe('undefined chunked');
  });
});

describe('createTransportFetch: https', () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  beforeAll(() => {
    // A throwaway self-signed certificate for 127.0.0.1, made by the system's openssl.
    dir = mkdtempSync(join(tmpdir(), 'transport-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    key = readFileSync(join(dir, 'key.pem'));
    cert = readFileSync(join(dir, 'cert.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function serveTls(): Promise<{ url: string; connections: () => number }> {
    const server = createHttpsServer({ key, cert }, (req, res) => {
      res.setHeader('content-type', req.url === '/sse' ? 'text/event-stream' : 'application/json');
      res.end(
        JSON.stringify({ path: req.url, tls: (req.socket as { encrypted?: boolean }).encrypted }),
      );
    });
    let connections = 0;
    server.on('secureConnection', () => connections++);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    open.push({ server: server as unknown as Server });
    return {
      url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      connections: () => connections,
    };
  }

  it('talks to an https server whose CA comes through the agent option, over one connection', async () => {
    const { url, connections } = await serveTls();
    const agent = new HttpsAgent({ ca: cert, keepAlive: true });
    const f = transport({ agent: { https: agent } });
    try {
      expect(await (await f(`${url}/a`)).json()).toEqual({ path: '/a', tls: true });
      expect(await (await f(`${url}/sse`)).text()).toBe('{"path":"/sse","tls":true}');
      expect(connections()).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('verifies certificates: a self-signed one without its CA fails as a network error', async () => {
    const { url } = await serveTls();
    const error = await transport()(`${url}/a`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
  });
});

describe('createTransportFetch: content encodings', () => {
  it('decodes gzip, deflate and brotli bodies, buffered and streamed, as fetch does', async () => {
    const { gzipSync, deflateSync, brotliCompressSync } = await import('node:zlib');
    const json = JSON.stringify({ text: 'héllo '.repeat(500) });
    const sse = 'data: {"n":1}\n\ndata: {"n":2}\n\n'.repeat(50);
    const encoders: Record<string, (b: Buffer) => Buffer> = {
      gzip: gzipSync,
      deflate: deflateSync,
      br: brotliCompressSync,
    };
    const { url } = await serve((req, res) => {
      const [, kind, coding] = (req.url ?? '').split('/');
      const encode = encoders[coding as string] as (b: Buffer) => Buffer;
      res.setHeader('content-encoding', coding as string);
      res.setHeader('content-type', kind === 'sse' ? 'text/event-stream' : 'application/json');
      res.end(encode(Buffer.from(kind === 'sse' ? sse : json)));
    });
    const f = transport();
    for (const coding of Object.keys(encoders)) {
      expect(await (await f(`${url}/json/${coding}`)).text()).toBe(json);
      const streamed = await f(`${url}/sse/${coding}`);
      expect(streamed.headers.get('content-encoding')).toBe(coding);
      expect(await streamed.text()).toBe(sse);
    }
  });

  it('hands over a body in an encoding it does not know, as it came', async () => {
    const { url } = await serve((_req, res) => {
      res.setHeader('content-encoding', 'zstd-unknown');
      res.end('raw bytes');
    });
    expect(await (await transport()(url)).text()).toBe('raw bytes');
  });

  it('a corrupt compressed body fails the read as a network error', async () => {
    const { url } = await serve((_req, res) => {
      res.setHeader('content-encoding', 'gzip');
      res.setHeader('content-type', 'application/json');
      res.end('not gzip at all');
    });
    const error = await transport()(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
  });
});

describe('createTransportFetch: pooling', () => {
  it('serves many concurrent requests over its pool, each with its own answer', async () => {
    const { url } = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      setTimeout(() => res.end(JSON.stringify({ path: req.url })), 5);
    });
    const f = transport({ connections: 8 });
    const answers = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => (await f(`${url}/r${i}`)).json()),
    );
    expect(answers).toEqual(Array.from({ length: 64 }, (_, i) => ({ path: `/r${i}` })));
  });

  it('sends sequential requests over one kept-alive connection', async () => {
    const ports = new Set<number>();
    const { url, server } = await serve((req, res) => {
      ports.add(req.socket.remotePort as number);
      res.end('ok');
    });
    let connections = 0;
    server.on('connection', () => connections++);
    const f = transport();
    for (let i = 0; i < 3; i++) expect(await (await f(url)).text()).toBe('ok');
    expect(connections).toBe(1);
    expect(ports.size).toBe(1);
  });

  it('closes a connection idle for keepAliveTimeoutMs, and opens a new one after', async () => {
    let closedAt: Promise<number> | undefined;
    const { url, server } = await serve((req, res) => {
      closedAt ??= once(req.socket, 'close').then(() => performance.now());
      res.end('ok');
    });
    server.keepAliveTimeout = 60_000; // the server would keep it: closing is the client's doing
    let connections = 0;
    server.on('connection', () => connections++);
    const f = transport({ keepAliveTimeoutMs: 150 });
    await (await f(url)).text();
    const answered = performance.now();
    const closed = await Promise.race([closedAt, sleep(3_000).then(() => undefined)]);
    if (closed === undefined) throw new Error('the idle connection was kept open');
    expect(closed - answered).toBeGreaterThanOrEqual(100);
    await (await f(url)).text();
    expect(connections).toBe(2);
  });

  it("closes an idle connection a second before the server's Keep-Alive: timeout=N", async () => {
    let closedAt: Promise<number> | undefined;
    const { url, server } = await serve((req, res) => {
      closedAt ??= once(req.socket, 'close').then(() => performance.now());
      res.setHeader('keep-alive', 'timeout=2');
      res.end('ok');
    });
    server.keepAliveTimeout = 60_000;
    const f = transport(); // 30 s of its own
    await (await f(url)).text();
    const answered = performance.now();
    const closed = await Promise.race([closedAt, sleep(8_000).then(() => undefined)]);
    if (closed === undefined) throw new Error('the connection outlived the server hint');
    // Hint 2 s → closed after ~1 s idle; well before the transport's own 30 s (slack for a busy machine).
    expect(closed - answered).toBeGreaterThanOrEqual(800);
    expect(closed - answered).toBeLessThan(4_000);
  });

  it('does not reuse a connection the server keeps for a second or less', async () => {
    const { url, server } = await serve((_req, res) => {
      res.setHeader('keep-alive', 'timeout=1');
      res.end('ok');
    });
    server.keepAliveTimeout = 60_000;
    let connections = 0;
    server.on('connection', () => connections++);
    const f = transport();
    await (await f(url)).text();
    await (await f(url)).text();
    expect(connections).toBe(2);
  });

  it('opens at most `connections` connections per origin, queueing the rest', async () => {
    let open = 0;
    let most = 0;
    let connections = 0;
    const { url, server } = await serve((req, res) => {
      setTimeout(() => res.end(req.url), 20);
    });
    server.on('connection', (socket: Socket) => {
      connections++;
      most = Math.max(most, ++open);
      socket.once('close', () => open--);
    });
    const f = transport({ connections: 2 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => (await f(`${url}/${i}`)).text()),
    );
    expect(answers).toEqual(Array.from({ length: 8 }, (_, i) => `/${i}`));
    expect(connections).toBe(2);
    expect(most).toBe(2);
  });

  it('keepAliveTimeoutMs 0 keeps no idle connection', async () => {
    const { url, server } = await serve((_req, res) => res.end('ok'));
    let connections = 0;
    server.on('connection', () => connections++);
    const f = transport({ keepAliveTimeoutMs: 0 });
    await (await f(url)).text();
    await (await f(url)).text();
    expect(connections).toBe(2);
  });

  it('close() closes idle connections, lets a running request finish, then refuses calls', async () => {
    let release: (() => void) | undefined;
    const sockets: Socket[] = [];
    const { url, server } = await serve((req, res) => {
      if (req.url === '/slow') release = () => res.end('slow done');
      else res.end('ok');
    });
    server.on('connection', (socket: Socket) => sockets.push(socket));
    const f = createTransportFetch();
    open.push({ server: createServer() });
    await (await f(`${url}/quick-1`)).text();
    const slow = f(`${url}/slow`);
    await (await f(`${url}/quick-2`)).text();
    while (release === undefined) await sleep(5);
    let closed = false;
    const closing = f.close().then(() => {
      closed = true;
    });
    await sleep(50);
    expect(closed).toBe(false);
    release();
    expect(await (await slow).text()).toBe('slow done');
    await closing;
    // The client closed both (the idle one at once, the other after its request): the server sees each end.
    expect(sockets).toHaveLength(2);
    const ended = Promise.all(
      sockets.map((socket) => (socket.destroyed ? undefined : once(socket, 'close'))),
    );
    await expect(Promise.race([ended, sleep(3_000).then(() => 'still open')])).resolves.not.toBe(
      'still open',
    );
    await expect(f(url)).rejects.toThrow(/closed/);
  });
});

describe('createTransportFetch: footprint', () => {
  it('loads no undici module: it sends with node:http', async () => {
    const { url } = await serve((req, res) => {
      res.setHeader('content-type', req.url === '/sse' ? 'text/event-stream' : 'application/json');
      res.end('{"ok":true}');
    });
    const f = transport();
    expect(await (await f(url)).json()).toEqual({ ok: true });
    const streamed = await f(`${url}/sse`);
    expect(streamed).not.toBeInstanceOf(BufferedResponse);
    expect(await streamed.text()).toBe('{"ok":true}');
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) =>
      file.includes('/undici/'),
    );
    expect(loaded).toEqual([]);
  });
});
