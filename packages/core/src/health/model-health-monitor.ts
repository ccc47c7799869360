import { EventEmitter } from 'eventemitter3';
import { CircuitOpenError } from '../errors/registry-errors.js';
import type { Model } from '../model/model.js';
import { type Clock, systemClock } from '../util/clock.js';
import {
  type BreakerState,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type Permit,
} from './circuit-breaker.js';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface ModelHealth {
  readonly model: string;
  readonly status: HealthStatus;
  readonly breaker: BreakerState;
  readonly consecutiveFailures: number;
  /** When an open breaker lets its next probe through (epoch ms). */
  readonly retryAt: number | undefined;
  readonly lastCheckAt: number | undefined;
  readonly lastCheckOk: boolean | undefined;
  readonly lastCheckMessage: string | undefined;
}

export interface HealthChange {
  readonly model: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
  readonly at: number;
}

export interface HealthMonitorEvents {
  'health:changed': (change: HealthChange) => void;
  'health:checked': (result: {
    model: string;
    ok: boolean;
    latencyMs: number;
    message?: string;
  }) => void;
}

export interface ModelHealthMonitorOptions extends CircuitBreakerOptions {
  /** Interval of active health checks in ms; 0 turns them off. Default 30 s. */
  readonly checkInterval?: number;
  /** Timeout of one active health check in ms. Default 5 s. */
  readonly checkTimeoutMs?: number;
  readonly clock?: Clock;
}

/** Codes of failures that say something about the model's health (not the request's). */
const HEALTH_FAILURE_CODES = new Set([
  'provider_error',
  'timeout',
  'network_error',
  'overloaded',
  'invalid_response',
  'authentication_failed',
]);

/** Whether a failure with this code should count against the model's breaker. */
export function countsAgainstHealth(code: string | undefined): boolean {
  return code === undefined || HEALTH_FAILURE_CODES.has(code);
}

interface Watched {
  readonly model: Model;
  readonly breaker: CircuitBreaker;
  lastCheckAt?: number;
  lastCheckOk?: boolean;
  lastCheckMessage?: string | undefined;
  checking: boolean;
}

/**
 * Watches models: active checks (`healthCheck()` every `checkInterval`) and
 * passive signals (outcomes of live calls) feed one circuit breaker per model.
 * Selection skips models whose breaker refuses calls; they come back once a
 * probe succeeds.
 */
export class ModelHealthMonitor extends EventEmitter<HealthMonitorEvents> {
  readonly checkInterval: number;
  readonly checkTimeoutMs: number;
  readonly failureThreshold: number;
  readonly recoveryThreshold: number;
  private readonly clock: Clock;
  private readonly breakerOptions: CircuitBreakerOptions;
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ModelHealthMonitorOptions = {}) {
    super();
    this.checkInterval = options.checkInterval ?? 30_000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
    this.clock = options.clock ?? systemClock;
    this.breakerOptions = options;
    this.failureThreshold = options.failureThreshold ?? 5;
    this.recoveryThreshold = options.recoveryThreshold ?? 1;
  }

  /** Starts watching a model; returns its breaker. */
  watch(model: Model): CircuitBreaker {
    const existing = this.watched.get(model.name);
    if (existing) return existing.breaker;
    const breaker = new CircuitBreaker(this.breakerOptions, (t) =>
      this.emit('health:changed', { model: model.name, ...t, at: this.clock.now() }),
    );
    this.watched.set(model.name, { model, breaker, checking: false });
    return breaker;
  }

  unwatch(name: string): void {
    this.watched.delete(name);
  }

  breakerOf(name: string): CircuitBreaker | undefined {
    return this.watched.get(name)?.breaker;
  }

  /** Starts periodic active checks (the timer does not keep the process alive). */
  start(): void {
    if (this.timer || this.checkInterval <= 0) return;
    this.timer = setInterval(() => void this.checkAll(), this.checkInterval);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether the model may be called now. */
  isAvailable(name: string): boolean {
    const w = this.watched.get(name);
    return w ? w.breaker.canPass(this.clock.now()) : true;
  }

  /** A permit for one call, or undefined when the breaker refuses it. */
  acquire(name: string): Permit | undefined {
    const w = this.watched.get(name);
    return w?.breaker.tryAcquire(this.clock.now());
  }

  /**
   * Runs `fn` under the model's breaker: refused with CircuitOpenError when
   * the breaker is open or its one probe is in flight; the outcome is reported.
   */
  async execute<T>(
    name: string,
    fn: () => Promise<T>,
    classify: (error: unknown) => { counts: boolean; permanent: boolean } = defaultClassify,
  ): Promise<T> {
    const w = this.watched.get(name);
    if (!w) return fn();
    const permit = w.breaker.tryAcquire(this.clock.now());
    if (!permit) {
      throw new CircuitOpenError(
        name,
        w.breaker.retryAt,
        w.breaker.state === 'open' ? 'open' : 'half_open',
      );
    }
    try {
      const result = await fn();
      permit.success(this.clock.now());
      return result;
    } catch (error) {
      const verdict = classify(error);
      if (verdict.counts) permit.failure(this.clock.now(), { permanent: verdict.permanent });
      else permit.cancel();
      throw error;
    }
  }

  /** Passive signal from a call made elsewhere. */
  recordOutcome(name: string, success: boolean, errorCode?: string): void {
    const w = this.watched.get(name);
    if (w) this.recordOutcomeOn(w.breaker, success, errorCode);
  }

  /**
   * `recordOutcome` for a breaker `watch` returned, without the lookup by
   * name: the registry keeps each model's breaker, and at 10,000 models that
   * lookup is a cold hash-table probe on every recorded outcome.
   */
  recordOutcomeOn(breaker: CircuitBreaker, success: boolean, errorCode?: string): void {
    if (success) breaker.recordSuccess();
    else if (countsAgainstHealth(errorCode)) {
      breaker.record(false, this.clock.now(), errorCode === 'authentication_failed');
    }
  }

  /** Runs the active checks of every watched model (or one) now. */
  async checkAll(): Promise<void> {
    await Promise.all([...this.watched.keys()].map((name) => this.checkNow(name)));
  }

  async checkNow(name: string): Promise<boolean | undefined> {
    const w = this.watched.get(name);
    if (!w || typeof w.model.healthCheck !== 'function' || w.checking) return undefined;
    const now = this.clock.now();
    // An open breaker is probed by the check itself once its break is over, not before.
    const permit = w.breaker.state === 'closed' ? undefined : w.breaker.tryAcquire(now);
    if (w.breaker.state !== 'closed' && !permit) return undefined;
    w.checking = true;
    const started = this.clock.now();
    let ok = false;
    let message: string | undefined;
    // A plain timer (not AbortSignal.timeout) so tests can drive it with fake
    // timers, raced with the check so one that ignores its signal still ends.
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`health check timed out after ${this.checkTimeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, this.checkTimeoutMs);
    });
    try {
      const result = await Promise.race([w.model.healthCheck(controller.signal), timeout]);
      ok = result.healthy;
      message = result.message;
    } catch (error) {
      ok = false;
      message = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
      w.checking = false;
    }
    const at = this.clock.now();
    w.lastCheckAt = at;
    w.lastCheckOk = ok;
    w.lastCheckMessage = message;
    if (permit) {
      if (ok) permit.success(at);
      else permit.failure(at);
    } else w.breaker.record(ok, at);
    this.emit('health:checked', {
      model: name,
      ok,
      latencyMs: at - started,
      ...(message === undefined ? {} : { message }),
    });
    return ok;
  }

  getHealth(name: string): ModelHealth | undefined {
    const w = this.watched.get(name);
    if (!w) return undefined;
    const b = w.breaker;
    b.canPass(this.clock.now());
    const status: HealthStatus =
      b.state === 'open'
        ? 'unhealthy'
        : b.state === 'half_open' || b.consecutiveFailures > 0
          ? 'degraded'
          : 'healthy';
    return {
      model: name,
      status,
      breaker: b.state,
      consecutiveFailures: b.consecutiveFailures,
      retryAt: b.state === 'open' ? b.retryAt : undefined,
      lastCheckAt: w.lastCheckAt,
      lastCheckOk: w.lastCheckOk,
      lastCheckMessage: w.lastCheckMessage,
    };
  }
}

function defaultClassify(error: unknown): { counts: boolean; permanent: boolean } {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : undefined;
  return { counts: countsAgainstHealth(code), permanent: code === 'authentication_failed' };
}
