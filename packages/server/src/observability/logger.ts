import type { FastifyServerOptions } from 'fastify';
import { batchedStdout, type LogStream } from './log-stream.js';

export type { LogStream } from './log-stream.js';

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
 * Without a stream, lines go to stdout batched per event-loop turn (see
 * TurnBatchedStream): one access line per request made pino's default
 * (an asynchronous thread-pool write per line) ~8% of the gateway's CPU.
 */
export function loggerOptions(level: string, stream: LogStream | undefined): LoggerSetting {
  return {
    level,
    stream: stream ?? batchedStdout(),
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
