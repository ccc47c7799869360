import { OrchestratorError } from '@orchestrator/core';

/**
 * Redis could not serve an operation: not connected, connection lost, a
 * command error. Stores reject with this (never hang), so core's callers can
 * apply their documented fail-open / fail-closed choice.
 */
export class RedisUnavailableError extends OrchestratorError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.RedisUnavailableError');
  /** What was attempted, e.g. `cache get`. */
  readonly operation: string;

  constructor(operation: string, cause?: unknown, code = 'redis_unavailable') {
    super(`Redis ${operation} failed: ${describe(cause)}`, {
      code,
      retryable: true,
      ...(cause === undefined ? {} : { cause }),
    });
    this.operation = operation;
  }
}

/** Redis accepted the connection but did not answer in time (a frozen or overloaded server). */
export class RedisTimeoutError extends RedisUnavailableError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.RedisTimeoutError');
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super(operation, new Error(`no answer within ${timeoutMs} ms`), 'redis_timeout');
    this.timeoutMs = timeoutMs;
  }
}

/** Wraps anything a Redis call threw into a typed error, keeping typed ones as they are. */
export function toRedisError(operation: string, error: unknown): RedisUnavailableError {
  return RedisUnavailableError.isInstance(error)
    ? error
    : new RedisUnavailableError(operation, error);
}

/**
 * The cause's message only: a Redis URL may carry a password, and ioredis
 * errors never include it, but we keep to the message and strip anything
 * that looks like credentials in a URL all the same.
 */
function describe(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause ?? 'unknown error');
  return message.replace(/(rediss?:\/\/)[^@\s/]*@/gi, '$1***@');
}
