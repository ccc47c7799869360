import { OrchestratorError } from '../errors/orchestrator-error.js';
import type { BudgetPeriod } from './budget-period.js';

export type BudgetKind = 'request' | 'user';

export interface BudgetExceededOptions {
  /** Which budget refused: the per-request cap or the user's period budget. */
  readonly budget: BudgetKind;
  readonly limitUsd: number;
  /** Spent in the period so far (0 for the per-request cap). */
  readonly spentUsd: number;
  /** Held by other in-flight requests. */
  readonly reservedUsd?: number;
  /** The worst-case cost of the refused request. */
  readonly requestedUsd: number;
  readonly period?: BudgetPeriod | undefined;
  /** Epoch ms at which the period (and so the budget) renews. */
  readonly resetsAt?: number | undefined;
}

/** A budget refused the request before any model was called. Never retryable as is. */
export class BudgetExceededError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.BudgetExceededError');
  readonly budget: BudgetKind;
  readonly limitUsd: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly requestedUsd: number;
  readonly period: BudgetPeriod | undefined;
  readonly resetsAt: number | undefined;

  constructor(options: BudgetExceededOptions) {
    super(describe(options), { code: 'budget_exceeded', retryable: false });
    this.budget = options.budget;
    this.limitUsd = options.limitUsd;
    this.spentUsd = options.spentUsd;
    this.reservedUsd = options.reservedUsd ?? 0;
    this.requestedUsd = options.requestedUsd;
    this.period = options.period;
    this.resetsAt = options.resetsAt;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      budget: this.budget,
      limitUsd: this.limitUsd,
      spentUsd: this.spentUsd,
      reservedUsd: this.reservedUsd,
      requestedUsd: this.requestedUsd,
      period: this.period,
      resetsAt: this.resetsAt,
    };
  }
}

/** The budget ledger could not be reached and budgets fail closed. Retryable. */
export class BudgetUnavailableError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.BudgetUnavailableError');
  constructor(cause: unknown) {
    super('The budget could not be checked (ledger unavailable); try again shortly.', {
      code: 'budget_unavailable',
      retryable: true,
      cause,
    });
  }
}

function usd(value: number): string {
  return `$${value.toFixed(value < 0.01 && value > 0 ? 6 : 2)}`;
}

function describe(o: BudgetExceededOptions): string {
  if (o.budget === 'request') {
    return `The request's worst-case cost ${usd(o.requestedUsd)} exceeds the per-request limit of ${usd(o.limitUsd)}.`;
  }
  const held = o.reservedUsd ? ` (+${usd(o.reservedUsd)} held by requests in flight)` : '';
  return (
    `The ${o.period ?? 'monthly'} budget of ${usd(o.limitUsd)} would be exceeded: ` +
    `${usd(o.spentUsd)} spent${held}, this request may cost up to ${usd(o.requestedUsd)}.`
  );
}
