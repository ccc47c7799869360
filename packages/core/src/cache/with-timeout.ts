/** Raised when a store operation took longer than its budget. */
export class StoreTimeoutError extends Error {
  constructor(operation: string, timeoutMs: number) {
    super(`${operation} did not complete within ${timeoutMs} ms`);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * Races `work` against a timer. A frozen backend therefore costs a caller at
 * most `timeoutMs`; the abandoned promise gets a no-op rejection handler so a
 * late failure is not reported as unhandled. A non-positive or infinite
 * `timeoutMs` disables the guard.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, operation: string): Promise<T> {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(operation, timeoutMs)), timeoutMs);
    // A pending store call must not keep a process alive on its own.
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref();
  });
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
