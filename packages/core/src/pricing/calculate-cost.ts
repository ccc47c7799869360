import type { ModelPricing } from '../types/capabilities.js';
import type { Usage } from '../types/chat.js';

const PER_MILLION = 1_000_000;

/**
 * Cost in USD of one call from its usage. Cached input tokens are billed at
 * the cached rate and the rest of the input at the full rate; reasoning
 * tokens, already part of `outputTokens`, are billed at the reasoning rate
 * when one is set.
 */
export function calculateCost(pricing: ModelPricing, usage: Usage): number {
  const input = usage.inputTokens ?? 0;
  const cached = Math.min(usage.cachedInputTokens ?? 0, input);
  const output = usage.outputTokens ?? 0;
  const reasoning =
    pricing.reasoningPerMillion === undefined ? 0 : Math.min(usage.reasoningTokens ?? 0, output);
  const cost =
    ((input - cached) * pricing.inputPerMillion +
      cached * (pricing.cachedInputPerMillion ?? pricing.inputPerMillion) +
      (output - reasoning) * pricing.outputPerMillion +
      reasoning * (pricing.reasoningPerMillion ?? pricing.outputPerMillion)) /
      PER_MILLION +
    (pricing.perRequest ?? 0);
  return roundUsd(cost);
}

/** Estimated cost in USD of a call with the given token counts. */
export function estimateCost(
  pricing: ModelPricing,
  inputTokens: number,
  outputTokens: number,
): number {
  return (
    (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) /
      PER_MILLION +
    (pricing.perRequest ?? 0)
  );
}

/** Costs are kept to a nano-dollar so sums of many calls do not drift visibly. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

export const FREE_PRICING: ModelPricing = Object.freeze({
  inputPerMillion: 0,
  outputPerMillion: 0,
});
