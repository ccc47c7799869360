export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  readonly failureThreshold?: number;
  /** Consecutive probe successes in half-open that close it. Default 1. */
  readonly recoveryThreshold?: number;
  /** First open period in ms; doubles with each trip in a row. Default 30 s. */
  readonly breakDurationMs?: number;
  /** Longest open period. Default 5 min. */
  readonly maxBreakDurationMs?: number;
  /** A probe that has not reported by then counts as failed. Default 10 s. */
  readonly probeTimeoutMs?: number;
}

/** A right to make one call; report how it went exactly once. */
export interface Permit {
  readonly probe: boolean;
  success(now: number): void;
  failure(now: number, options?: { permanent?: boolean }): void;
  /** Give the permit back without a verdict (the caller cancelled). */
  cancel(): void;
}

export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
}

/**
 * One byte per breaker ever made (by `CircuitBreaker.id`): 1 while it is
 * closed with no failure counted, when a passive success changes nothing.
 * The registry reads it before the breaker on every recorded success: among
 * thousands of models the breaker object is a cache miss, and this small
 * array stays in cache.
 */
let quiet = new Uint8Array(1024);
let breakersMade = 0;

/** The flags above; replaced when it grows, so read it afresh each time. */
export function quietBreakers(): Uint8Array {
  return quiet;
}

/**
 * A circuit breaker per model: closed → open after `failureThreshold`
 * consecutive failures (at once for a permanent failure such as a bad key);
 * open → half-open when the break ends, where exactly one probe is let
 * through and every other caller is refused until it reports or times out;
 * half-open → closed after `recoveryThreshold` probe successes, or back to
 * open, for twice as long, on a probe failure.
 */
export class CircuitBreaker {
  /** Its place in `quietBreakers()`. */
  readonly id: number;
  state: BreakerState = 'closed';
  consecutiveFailures = 0;
  /** Trips since the breaker last closed; sets the length of the next break. */
  tripsInARow = 0;
  /** When the current open period ends (epoch ms). */
  retryAt = 0;
  openedAt: number | undefined;
  private probeSuccesses = 0;
  private probeStartedAt: number | undefined;
  /** Bumped on every transition so a stale permit's report is ignored. */
  private generation = 0;
  readonly failureThreshold: number;
  readonly recoveryThreshold: number;
  readonly breakDurationMs: number;
  readonly maxBreakDurationMs: number;
  readonly probeTimeoutMs: number;

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly onTransition?: (t: BreakerTransition) => void,
  ) {
    this.failureThreshold = positive('failureThreshold', options.failureThreshold ?? 5);
    this.recoveryThreshold = positive('recoveryThreshold', options.recoveryThreshold ?? 1);
    this.breakDurationMs = positive('breakDurationMs', options.breakDurationMs ?? 30_000);
    this.maxBreakDurationMs = Math.max(this.breakDurationMs, options.maxBreakDurationMs ?? 300_000);
    this.probeTimeoutMs = positive('probeTimeoutMs', options.probeTimeoutMs ?? 10_000);
    this.id = breakersMade++;
    if (this.id === quiet.length) {
      const grown = new Uint8Array(quiet.length * 2);
      grown.set(quiet);
      quiet = grown;
    }
    quiet[this.id] = 1;
  }

  /** Whether a call could be let through now (without taking the probe slot). */
  canPass(now: number): boolean {
    if (this.state === 'closed') return true;
    this.expireHungProbe(now);
    if (this.state === 'open') return now >= this.retryAt;
    return this.probeStartedAt === undefined;
  }

  /** Takes a permit, or returns undefined when the breaker refuses the call. */
  tryAcquire(now: number): Permit | undefined {
    if (this.state === 'closed') return this.permit(false);
    this.expireHungProbe(now);
    if (this.state === 'open') {
      if (now < this.retryAt) return undefined;
      this.transition('half_open', 'break elapsed; letting one probe through');
      this.probeSuccesses = 0;
    }
    if (this.probeStartedAt !== undefined) return undefined;
    this.probeStartedAt = now;
    return this.permit(true);
  }

  /** Reports an outcome that did not go through a permit (passive signal, health check). */
  record(success: boolean, now: number, permanent = false): void {
    if (success) this.onSuccess(this.state !== 'closed');
    else this.onFailure(now, permanent, this.state !== 'closed');
  }

  /**
   * `record(true, now)` without the time, which a success never uses: the
   * registry reports every outcome, and a clock reading costs more than the
   * rest of the breaker's work.
   */
  recordSuccess(): void {
    this.onSuccess(this.state !== 'closed');
  }

  /** Opens the breaker now, e.g. on 401/403. */
  trip(now: number, reason: string): void {
    this.tripsInARow++;
    const duration = Math.min(
      this.maxBreakDurationMs,
      this.breakDurationMs * 2 ** (this.tripsInARow - 1),
    );
    this.retryAt = now + duration;
    this.openedAt = now;
    this.probeStartedAt = undefined;
    this.probeSuccesses = 0;
    this.transition('open', `${reason}; open for ${Math.round(duration / 1000)} s`);
  }

  reset(): void {
    this.consecutiveFailures = 0;
    this.tripsInARow = 0;
    this.probeStartedAt = undefined;
    this.openedAt = undefined;
    if (this.state !== 'closed') this.transition('closed', 'reset');
    this.noteQuiet();
  }

  private permit(probe: boolean): Permit {
    return new BreakerPermit(this, this.generation, probe);
  }

  /**
   * @internal A permit's report, once: a report from before a transition (a
   * probe that already timed out) changes nothing.
   */
  settlePermit(
    generation: number,
    probe: boolean,
    outcome: 'success' | 'failure' | 'cancel',
    now: number,
    permanent: boolean,
  ): void {
    if (generation !== this.generation && probe) return;
    if (outcome === 'success') this.onSuccess(probe);
    else if (outcome === 'failure') this.onFailure(now, permanent, probe);
    else if (probe) this.probeStartedAt = undefined;
  }

  private onSuccess(probe: boolean): void {
    // Written only when it changes: among thousands of breakers, a line left clean
    // need not be written back.
    if (this.consecutiveFailures !== 0) {
      this.consecutiveFailures = 0;
      this.noteQuiet();
    }
    if (this.state === 'half_open' && probe) {
      this.probeStartedAt = undefined;
      this.probeSuccesses++;
      if (this.probeSuccesses >= this.recoveryThreshold) {
        this.tripsInARow = 0;
        this.openedAt = undefined;
        this.transition('closed', `${this.probeSuccesses} probe(s) succeeded`);
      }
    }
  }

  private onFailure(now: number, permanent: boolean, probe: boolean): void {
    this.consecutiveFailures++;
    quiet[this.id] = 0;
    if (permanent) {
      this.trip(now, 'a permanent failure (authentication)');
      return;
    }
    if (this.state === 'half_open' && probe) {
      this.trip(now, 'the probe failed');
      return;
    }
    if (this.state === 'closed' && this.consecutiveFailures >= this.failureThreshold) {
      this.trip(now, `${this.consecutiveFailures} consecutive failures`);
    }
  }

  private expireHungProbe(now: number): void {
    if (
      this.state === 'half_open' &&
      this.probeStartedAt !== undefined &&
      now - this.probeStartedAt >= this.probeTimeoutMs
    ) {
      this.consecutiveFailures++;
      quiet[this.id] = 0;
      this.trip(now, `the probe did not report within ${this.probeTimeoutMs} ms`);
    }
  }

  /** Keeps this breaker's flag in `quietBreakers()` true to its state and count. */
  private noteQuiet(): void {
    quiet[this.id] = this.state === 'closed' && this.consecutiveFailures === 0 ? 1 : 0;
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.state;
    this.state = to;
    this.noteQuiet();
    this.generation++;
    if (from !== to || to === 'open') this.onTransition?.({ from, to, reason });
  }
}

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new RangeError(
      `Circuit breaker option "${name}" must be a positive number, got ${value}`,
    );
  }
  return value;
}

/**
 * One call's permit. Its methods live on the prototype: a permit is taken on
 * every request, and four closures per permit cost more than the breaker.
 */
class BreakerPermit implements Permit {
  readonly #breaker: CircuitBreaker;
  readonly #generation: number;
  #done = false;

  constructor(
    breaker: CircuitBreaker,
    generation: number,
    readonly probe: boolean,
  ) {
    this.#breaker = breaker;
    this.#generation = generation;
  }

  success(now: number): void {
    this.#settle('success', now, false);
  }

  failure(now: number, options?: { permanent?: boolean }): void {
    this.#settle('failure', now, options?.permanent ?? false);
  }

  cancel(): void {
    this.#settle('cancel', 0, false);
  }

  #settle(outcome: 'success' | 'failure' | 'cancel', now: number, permanent: boolean): void {
    if (this.#done) return;
    this.#done = true;
    this.#breaker.settlePermit(this.#generation, this.probe, outcome, now, permanent);
  }
}
