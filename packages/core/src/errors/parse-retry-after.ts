/** Longest server-requested wait we accept; anything larger is treated as garbage. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | null | undefined>>
  | undefined
  | null;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | null | undefined>>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === name) {
      const v = record[key];
      return Array.isArray(v) ? v[0] : ((v as string | null | undefined) ?? undefined);
    }
  }
  return undefined;
}

/**
 * Reads `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP
 * date) and returns the wait in milliseconds. Values that do not parse, are
 * negative, or exceed `maxMs` yield `undefined` so the caller falls back to
 * its own backoff rather than trusting garbage.
 */
export function parseRetryAfter(
  headers: HeaderSource,
  now: number = Date.now(),
  maxMs: number = MAX_RETRY_AFTER_MS,
): number | undefined {
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) {
    const v = Number.parseFloat(ms);
    if (Number.isFinite(v) && v >= 0 && v <= maxMs) return v;
  }
  const raw = readHeader(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const v = Number.parseFloat(raw) * 1000;
    return v <= maxMs ? v : undefined;
  }
  // An HTTP date must name a weekday or month; Date.parse accepts far too much otherwise.
  if (!/[a-z]{3}/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  const wait = Math.max(0, at - now);
  return wait <= maxMs ? wait : undefined;
}
