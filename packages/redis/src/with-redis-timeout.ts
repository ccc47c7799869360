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

/**
 * Resolves once `client` is connected and ready, or rejects with a
 * `RedisTimeoutError` after `timeoutMs`. For calls that may wait a moment
 * (a batch submit at startup); the hot-path stores never wait, they fail fast.
 */
export function whenRedisReady(
  client: { readonly status: string } & Pick<NodeJS.EventEmitter, 'once' | 'off'>,
  timeoutMs: number,
  operation = 'connect',
): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
    client.once('ready', resolve);
  });
  return withRedisTimeout(ready, timeoutMs, operation).finally(() => {
    if (onReady !== undefined) client.off('ready', onReady);
  });
}
