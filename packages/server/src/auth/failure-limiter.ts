/**
 * Counts failed authentications per client address in a fixed one-minute
 * window, so keys cannot be guessed at speed. Bounded: the oldest addresses
 * are forgotten past `maxTracked`.
 */
export class FailureLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxTracked: number;
  readonly #now: () => number;
  readonly #counts = new Map<string, { count: number; start: number }>();

  constructor(
    max: number,
    options: { windowMs?: number; maxTracked?: number; now?: () => number } = {},
  ) {
    this.#max = max;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxTracked = options.maxTracked ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Seconds to wait when the address is blocked, else undefined. */
  blocked(address: string): number | undefined {
    const entry = this.#counts.get(address);
    if (!entry) return undefined;
    const elapsed = this.#now() - entry.start;
    if (elapsed >= this.#windowMs) {
      this.#counts.delete(address);
      return undefined;
    }
    return entry.count >= this.#max
      ? Math.max(1, Math.ceil((this.#windowMs - elapsed) / 1000))
      : undefined;
  }

  fail(address: string): void {
    const now = this.#now();
    const entry = this.#counts.get(address);
    if (entry && now - entry.start < this.#windowMs) {
      entry.count++;
      return;
    }
    this.#counts.delete(address);
    if (this.#counts.size >= this.#maxTracked) {
      const oldest = this.#counts.keys().next().value;
      if (oldest !== undefined) this.#counts.delete(oldest);
    }
    this.#counts.set(address, { count: 1, start: now });
  }
}
