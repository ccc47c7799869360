import { Redis, type RedisOptions } from 'ioredis';

export interface RedisClientOptions {
  /** Budget of the TCP (and TLS) connect, and of the ready check after it. Default 100 ms. */
  readonly connectTimeoutMs?: number;
  /** Budget of every command; a slower one rejects. Default 50 ms. */
  readonly commandTimeoutMs?: number;
  /**
   * A connection with commands pending that hears nothing for this long is
   * dead (a frozen server, a dropped NAT entry): it is destroyed and
   * reconnected, instead of timing out every command forever. Default the
   * larger of 1,000 ms and twice `commandTimeoutMs`.
   */
  readonly deadSocketMs?: number;
  /** Retries of a command interrupted by a reconnect. Default 1. */
  readonly maxRetriesPerRequest?: number;
  /** First reconnect delay; it doubles per attempt, with jitter. Default 50 ms. */
  readonly reconnectBaseMs?: number;
  /** Longest reconnect delay. Default 2,000 ms. */
  readonly reconnectMaxMs?: number;
  /**
   * Told about connection errors (ioredis emits them as `error` events,
   * which would be printed as "unhandled" without a listener). Default:
   * ignored — the stores report failures through their own rejections.
   */
  readonly onError?: (error: Error) => void;
  /** Anything else for ioredis (TLS, sentinels, username…); the fast-failure settings above win. */
  readonly redis?: RedisOptions;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 100;
export const DEFAULT_COMMAND_TIMEOUT_MS = 50;

/**
 * An ioredis client tuned to fail fast instead of queueing: while Redis is
 * unreachable every command rejects at once (no offline queue), a command
 * that gets no answer rejects after `commandTimeoutMs`, and the client keeps
 * reconnecting in the background with capped, jittered backoff — so a
 * server starts while Redis is down and recovers when it returns. A server
 * that accepts TCP but never finishes the ready check (frozen) is dropped and
 * retried after `connectTimeoutMs` rather than waited on forever.
 *
 * The URL may carry credentials (`redis://user:pass@host:6379/0`,
 * `rediss://` for TLS); they never appear in errors this package raises.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  if (typeof url !== 'string' || !/^rediss?:\/\//i.test(url)) {
    throw new TypeError('Redis URL must start with redis:// or rediss://');
  }
  const connectTimeout = positive(
    'connectTimeoutMs',
    options.connectTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const commandTimeout = positive(
    'commandTimeoutMs',
    options.commandTimeoutMs,
    DEFAULT_COMMAND_TIMEOUT_MS,
  );
  // Never shorter than a slow command may legitimately take.
  const deadSocket = positive(
    'deadSocketMs',
    options.deadSocketMs,
    Math.max(1_000, 2 * commandTimeout),
  );
  const base = positive('reconnectBaseMs', options.reconnectBaseMs, 50);
  const max = positive('reconnectMaxMs', options.reconnectMaxMs, 2_000);
  const client = new Redis(url, {
    ...options.redis,
    connectTimeout,
    commandTimeout,
    socketTimeout: deadSocket,
    enableOfflineQueue: false,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    lazyConnect: false,
    // Never give up: a gateway outlives Redis outages; callers fail fast meanwhile.
    retryStrategy: (times) => {
      const ceiling = Math.min(max, base * 2 ** Math.min(times - 1, 20));
      return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    },
  });
  const onError = options.onError;
  client.on('error', (error: Error) => {
    try {
      onError?.(error);
    } catch {
      // A faulty listener must not turn a Redis hiccup into a crash.
    }
  });
  guardReadyCheck(client, connectTimeout);
  return client;
}

/**
 * ioredis bounds the TCP connect but not the ready check that follows; a
 * frozen server would leave the client "connecting" forever. Drop the
 * socket after the same budget, so the reconnect loop tries again.
 */
function guardReadyCheck(client: Redis, timeoutMs: number): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  client.on('connect', () => {
    clear();
    timer = setTimeout(() => {
      timer = undefined;
      // destroy, not disconnect(): a graceful end waits for the frozen peer's FIN, which never comes.
      if (client.status !== 'ready') client.stream?.destroy();
    }, timeoutMs);
    timer.unref();
  });
  client.on('ready', clear);
  client.on('close', clear);
  client.on('end', clear);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}
