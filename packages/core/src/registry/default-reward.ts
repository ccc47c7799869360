import type { Model } from '../model/model.js';
import type { ModelOutcome } from '../model/model-outcome.js';

/** Latency at which the speed part of the default reward reaches zero, when the model sets no timeout. */
const DEFAULT_LATENCY_BUDGET_MS = 30_000;

/**
 * The reward formed for an outcome that brings none: 0 for a failure; for a
 * success 0.7 plus up to 0.3 for speed (linear in latency, zero at the
 * model's timeout). Explicit rewards (user feedback, graders) replace it.
 */
export function defaultReward(outcome: ModelOutcome, model: Model): number {
  return rewardWithin(outcome, latencyBudgetOf(model));
}

/** The latency at which `defaultReward`'s speed part reaches zero for `model`. */
export function latencyBudgetOf(model: Model): number {
  return model.constraints.timeoutMs ?? DEFAULT_LATENCY_BUDGET_MS;
}

/** `defaultReward` with the model's latency budget already looked up (the registry keeps it). */
export function rewardWithin(outcome: ModelOutcome, budgetMs: number): number {
  if (!outcome.success) return 0;
  const speed = Math.max(0, 1 - outcome.latencyMs / budgetMs);
  return 0.7 + 0.3 * speed;
}
