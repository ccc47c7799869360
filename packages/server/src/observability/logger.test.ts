import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loggerOptions, redactUrl } from './logger.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('gateway logging', () => {
  it('writes to the stream it is given', () => {
    const lines: string[] = [];
    const app = Fastify({ logger: loggerOptions('info', { write: (l) => lines.push(l) }) });
    app.log.info({ marker: 'given' }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ marker: 'given', msg: 'hello' });
  });

  it('without a stream, has the line on stdout when the log call returns (a crash right after loses nothing)', () => {
    const app = Fastify({ logger: loggerOptions('info', undefined) });
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    app.log.info({ marker: 'synchronous-line' }, 'before a crash');
    const line = written.find((l) => l.includes('synchronous-line'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 30, msg: 'before a crash' });
  });

  it('strips secret query values from URLs', () => {
    expect(redactUrl('/v1beta/models?key=AIzaSECRET&alt=sse')).toBe(
      '/v1beta/models?key=[redacted]&alt=sse',
    );
  });
});
