import type { FastifyServerOptions } from 'fastify';

/** Where log lines go: anything with `write` (pino's destination stream). */
export interface LogStream {
  write(line: string): void;
}

type LoggerSetting = Exclude<FastifyServerOptions['logger'], undefined | boolean>;

/** Query parameters that carry keys in some clients' URLs (Gemini's `key=`, `api_key=`…). */
const SECRET_PARAMS =
  /([?&](?:key|api[-_]?key|token|access[-_]?token|auth|password|secret)=)[^&#]*/gi;

/** A URL with secret-bearing query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * Pino options: JSON lines, headers that carry keys censored, URLs stripped
 * of secret query values. Request logs hold method, route, URL and address
 * only — never bodies.
 *
 * Without a stream, lines go to `process.stdout`, which Node writes
 * synchronously for files and pipes on Linux: a line is out when the call
 * returns (nothing lost on a crash), and no libuv thread-pool round trip per
 * line. Pino's own default for stdout is an asynchronous fs.write per line
 * through the thread pool; with one access line per request that was ~8% of
 * the gateway's CPU at 16 concurrent requests (bench/src/gateway, issue 5).
 */
export function loggerOptions(level: string, stream: LogStream | undefined): LoggerSetting {
  return {
    level,
    stream: stream ?? process.stdout,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers["api-key"]',
        'req.headers.cookie',
        'headers.authorization',
        'headers["x-api-key"]',
        'headers["api-key"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method?: string; url?: string; ip?: string; routeOptions?: { url?: string } }) {
        return {
          method: req.method,
          url: redactUrl(req.url ?? ''),
          route: req.routeOptions?.url,
          remoteAddress: req.ip,
        };
      },
    },
  } as LoggerSetting;
}
