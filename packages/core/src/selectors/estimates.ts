import type { Model } from '../model/model.js';
import { estimateCost } from '../pricing/calculate-cost.js';
import type { TaskType } from '../types/capabilities.js';
import type { CandidateTable } from './candidate-table.js';

/** Latency assumed for a model that declares nothing and has served nothing. */
export const UNKNOWN_LATENCY_MS = 2_000;
/** Outcomes after which live reward weighs as much as the prior quality. */
const PRIOR_WEIGHT = 10;
/** As in pricing/calculate-cost.ts, whose `estimateCost` the column form repeats. */
const PER_MILLION = 1_000_000;

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

// The same estimates read from a registry's columns (see candidate-table.ts).
// Each repeats its object-based twin's arithmetic in the same order, so the
// figures are identical to the last bit (tests compare the two).

/** `estimateModelCost` of the model in `slot`. */
export function costAt(
  t: CandidateTable,
  slot: number,
  inputTokens: number,
  outputTokens: number,
): number {
  return (
    (inputTokens * t.inputPerMillion[slot]! + outputTokens * t.outputPerMillion[slot]!) /
      PER_MILLION +
    t.perRequest[slot]!
  );
}

/** `estimateLatencyMs` of the model in `slot`. */
export function latencyAt(t: CandidateTable, slot: number, outputTokens: number): number {
  const live = t.latencyEwmaMs[slot]!;
  if (!Number.isNaN(live)) return live;
  const first = t.firstTokenLatencyMs[slot]!;
  const speed = t.declaredTokensPerSecond[slot]!;
  const hasFirst = !Number.isNaN(first);
  if (!hasFirst && Number.isNaN(speed)) return UNKNOWN_LATENCY_MS;
  // `speed ? … : 0` in the object form: NaN and 0 are both falsy.
  const generation = !Number.isNaN(speed) && speed !== 0 ? (outputTokens / speed) * 1000 : 0;
  return (hasFirst ? first : 0) + generation;
}

/** `estimateQuality` of the model in `slot`, given the task's prior column. */
export function qualityAt(t: CandidateTable, prior: Float64Array, slot: number): number {
  const observed = t.meanReward[slot]!;
  if (Number.isNaN(observed)) return prior[slot]!;
  const n = t.requests[slot]!;
  return (prior[slot]! * PRIOR_WEIGHT + observed * n) / (PRIOR_WEIGHT + n);
}

/** `estimateSpeed` of the model in `slot`; NaN where that gives undefined. */
export function speedAt(t: CandidateTable, slot: number): number {
  const live = t.liveTokensPerSecond[slot]!;
  return !Number.isNaN(live) ? live : t.declaredTokensPerSecond[slot]!;
}

/** `estimateSuccessRate` of the model in `slot`. */
export function successRateAt(t: CandidateTable, slot: number): number {
  return (t.successes[slot]! + 1) / (t.requests[slot]! + 2);
}
