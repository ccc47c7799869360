import type { Model } from '../model/model.js';
import { estimateCost } from '../pricing/calculate-cost.js';
import type { TaskType } from '../types/capabilities.js';

/** Latency assumed for a model that declares nothing and has served nothing. */
export const UNKNOWN_LATENCY_MS = 2_000;
/** Outcomes after which live reward weighs as much as the prior quality. */
const PRIOR_WEIGHT = 10;

/** Estimated USD cost of a request of the given size on `model`. */
export function estimateModelCost(model: Model, inputTokens: number, outputTokens: number): number {
  return estimateCost(model.pricing, inputTokens, outputTokens);
}

/** Output speed in tokens/s: live when measured, else the declared prior, else undefined. */
export function estimateSpeed(model: Model): number | undefined {
  return model.metrics.tokensPerSecond ?? model.capabilities.tokensPerSecond;
}

/**
 * Expected latency in ms: the live moving average when there is one, else the
 * declared first-token latency plus generation time at the declared speed.
 */
export function estimateLatencyMs(model: Model, outputTokens: number): number {
  const live = model.metrics.latencyEwmaMs;
  if (live !== undefined) return live;
  const caps = model.capabilities;
  if (caps.firstTokenLatencyMs === undefined && caps.tokensPerSecond === undefined)
    return UNKNOWN_LATENCY_MS;
  const generation = caps.tokensPerSecond ? (outputTokens / caps.tokensPerSecond) * 1000 : 0;
  return (caps.firstTokenLatencyMs ?? 0) + generation;
}

/**
 * Expected quality in [0, 1] for a task: the declared prior (per task when
 * given) blended with the mean observed reward, the prior counting as
 * PRIOR_WEIGHT observations.
 */
export function estimateQuality(model: Model, taskType: TaskType | undefined): number {
  const caps = model.capabilities;
  const prior =
    (taskType === undefined ? undefined : caps.qualityByTask?.[taskType]) ?? caps.qualityScore;
  const observed = model.metrics.meanReward;
  if (observed === undefined) return prior;
  const n = model.metrics.requests;
  return (prior * PRIOR_WEIGHT + observed * n) / (PRIOR_WEIGHT + n);
}

/** Success probability with a Laplace prior, so an unproven model is neither 0 nor 1. */
export function estimateSuccessRate(model: Model): number {
  const m = model.metrics;
  return (m.successes + 1) / (m.requests + 2);
}
