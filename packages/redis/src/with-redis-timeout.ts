import { RedisTimeoutError, toRedisError } from './redis-errors.js';

/**
 * Races a Redis call against a timer and converts every failure into a
 * typed `RedisUnavailableError` (`RedisTimeoutError` for the timer). A
 * frozen server — accepts TCP, never answers — therefore costs a caller at
 * most `timeoutMs`. The abandoned promise keeps a no-op handler so its late
 * rejection is never reported as unhandled. A non-positive or infinite
 * `timeoutMs` disables the timer (errors are still typed).
 */
export function withRedisTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  operation: string,
): Promise<T> {
  const typed = work.catch((error: unknown) => {
    throw toRedisError(operation, error);
  });
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return typed;
  typed.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(operation, timeoutMs)), timeoutMs);
    // A pending Redis call must not keep the process alive on its own.
    timer.unref();
  });
  return Promise.race([typed, timeout]).finally(() => clearTimeout(timer));
}
