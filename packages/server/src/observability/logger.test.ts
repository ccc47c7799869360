import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchedStdout, TurnBatchedStream } from './log-stream.js';
import { loggerOptions, redactUrl } from './logger.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('gateway logging', () => {
  it('writes to the stream it is given', () => {
    const lines: string[] = [];
    const app = Fastify({ logger: loggerOptions('info', { write: (l) => lines.push(l) }) });
    app.log.info({ marker: 'given' }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ marker: 'given', msg: 'hello' });
  });

  it('without a stream, writes the lines of one event-loop turn to stdout in one write when the turn ends', async () => {
    const app = Fastify({ logger: loggerOptions('info', undefined) });
    batchedStdout().flush(); // nothing of earlier tests pending
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    app.log.info({ marker: 'first' }, 'one');
    app.log.warn({ marker: 'second' }, 'two');
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toHaveLength(1);
    const lines = written[0]!
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { level: 30, marker: 'first', msg: 'one' },
      { level: 40, marker: 'second', msg: 'two' },
    ]);
    app.log.info('later');
    await nextTurn();
    expect(written).toHaveLength(2);
  });

  it('flush() writes what is pending at once (the exit hook)', () => {
    const out: string[] = [];
    const stream = new TurnBatchedStream({ write: (t: string) => out.push(t) });
    stream.write('a\n');
    stream.write('b\n');
    stream.flush();
    expect(out).toEqual(['a\nb\n']);
    stream.flush();
    expect(out).toEqual(['a\nb\n']);
  });

  it('logs a request as method, URL, route and address only: its headers never reach a line', () => {
    const lines: string[] = [];
    const app = Fastify({ logger: loggerOptions('info', { write: (l) => lines.push(l) }) });
    const req = {
      method: 'POST',
      url: '/v1/chat/completions?api_key=sk-in-url',
      ip: '127.0.0.1',
      routeOptions: { url: '/v1/chat/completions' },
      headers: { authorization: 'Bearer sk-in-header', cookie: 'session=sk-in-cookie' },
    };
    app.log.info({ req }, 'request completed');
    const line = JSON.parse(lines[0]!);
    expect(line.req).toEqual({
      method: 'POST',
      url: '/v1/chat/completions?api_key=[redacted]',
      route: '/v1/chat/completions',
      remoteAddress: '127.0.0.1',
    });
    expect(lines[0]).not.toContain('sk-in-');
  });

  it('censors secret-bearing headers logged on their own', () => {
    const lines: string[] = [];
    const app = Fastify({ logger: loggerOptions('info', { write: (l) => lines.push(l) }) });
    app.log.info(
      {
        headers: {
          authorization: 'Bearer sk-a',
          'x-api-key': 'sk-b',
          'api-key': 'sk-c',
          cookie: 'sk-d',
        },
      },
      'headers',
    );
    expect(JSON.parse(lines[0]!).headers).toEqual({
      authorization: '[redacted]',
      'x-api-key': '[redacted]',
      'api-key': '[redacted]',
      cookie: '[redacted]',
    });
  });

  it('leaves a URL without parameters as it is', () => {
    expect(redactUrl('/v1/chat/completions')).toBe('/v1/chat/completions');
    expect(redactUrl('/x&token=abc')).toBe('/x&token=[redacted]');
  });

  it('strips secret query values from URLs', () => {
    expect(redactUrl('/v1beta/models?key=AIzaSECRET&alt=sse')).toBe(
      '/v1beta/models?key=[redacted]&alt=sse',
    );
  });
});
