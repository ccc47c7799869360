import type { FastifyServerOptions } from 'fastify';
import { batchedStdout, type LogStream } from './log-stream.js';

export type { LogStream } from './log-stream.js';

type LoggerSetting = Exclude<FastifyServerOptions['logger'], undefined | boolean>;

/** Query parameters that carry keys in some clients' URLs (Gemini's `key=`, `api_key=`…). */
const SECRET_PARAMS =
  /([?&](?:key|api[-_]?key|token|access[-_]?token|auth|password|secret)=)[^&#]*/gi;

/** A URL with secret-bearing query values replaced. */
export function redactUrl(url: string): string {
  // Every secret the pattern finds sits after an `=`: most URLs have none, and skip the regex.
  return url.includes('=') ? url.replace(SECRET_PARAMS, '$1[redacted]') : url;
}

/**
 * Pino options: JSON lines, headers that carry keys censored, URLs stripped
 * of secret query values. Request logs hold method, route, URL and address
 * only — never bodies, never headers: the `req` serializer writes nothing
 * else, so `req` needs no redaction paths (redacting each access line's `req`
 * was half of its cost, ~2% of the gateway's CPU per request in
 * bench/src/gateway). Headers logged on their own (`{ headers }`) are censored.
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
        'headers.authorization',
        'headers["x-api-key"]',
        'headers["api-key"]',
        'headers.cookie',
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
