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

  it('strips secret query values from URLs', () => {
    expect(redactUrl('/v1beta/models?key=AIzaSECRET&alt=sse')).toBe(
      '/v1beta/models?key=[redacted]&alt=sse',
    );
  });
});
