import type { Model } from '../model/model.js';
import { estimateLatencyMs, estimateModelCost, estimateQuality } from './estimates.js';
import type { SelectionContext } from './model-selector.js';
import { ScoringSelector } from './scoring-selector.js';

export interface BalanceWeights {
  readonly cost: number;
  readonly speed: number;
  readonly quality: number;
}

export const DEFAULT_BALANCE_WEIGHTS: BalanceWeights = Object.freeze({
  cost: 1,
  speed: 1,
  quality: 2,
});

/** Decades of price that take the cost score from 1 to 0 (10× the cheapest loses a third). */
const COST_DECADES = 3;
/** Decades of latency that take the speed score from 1 to 0 (10× the fastest loses half). */
const LATENCY_DECADES = 2;

interface Best {
  minCost: number;
  minLatency: number;
}

/**
 * Weighs cost, speed and quality, each scored in [0, 1]. Cost and latency
 * are scored relative to the cheapest and fastest candidate on a log scale
 * with a fixed span, so the score of a model does not swing with who else is
 * eligible, and small spreads stay small. Quality is used as is.
 */
export class BalancedSelector extends ScoringSelector<Best> {
  readonly name = 'balanced';
  readonly weights: BalanceWeights;
  private readonly total: number;

  constructor(weights: Partial<BalanceWeights> = {}) {
    super();
    const w = { ...DEFAULT_BALANCE_WEIGHTS, ...weights };
    for (const [key, value] of Object.entries(w)) {
      if (!(value >= 0 && Number.isFinite(value))) {
        throw new RangeError(
          `BalancedSelector weight "${key}" must be a non-negative number, got ${value}`,
        );
      }
    }
    this.total = w.cost + w.speed + w.quality;
    if (this.total === 0)
      throw new RangeError('BalancedSelector needs at least one positive weight');
    this.weights = Object.freeze(w);
  }

  protected override prepare(candidates: readonly Model[], ctx: SelectionContext): Best {
    let minCost = Number.POSITIVE_INFINITY;
    let minLatency = Number.POSITIVE_INFINITY;
    for (const model of candidates) {
      const c = costOf(model, ctx);
      const l = latencyOf(model, ctx);
      if (c < minCost) minCost = c;
      if (l < minLatency) minLatency = l;
    }
    return { minCost, minLatency };
  }

  protected score(model: Model, ctx: SelectionContext, best: Best): number {
    const costScore = 1 - clamp01(Math.log10(costOf(model, ctx) / best.minCost) / COST_DECADES);
    const speedScore =
      1 - clamp01(Math.log10(latencyOf(model, ctx) / best.minLatency) / LATENCY_DECADES);
    const quality = estimateQuality(model, ctx.taskType);
    const w = this.weights;
    return (w.cost * costScore + w.speed * speedScore + w.quality * quality) / this.total;
  }

  protected explain(model: Model, score: number, ctx: SelectionContext): string {
    const w = this.weights;
    return `${model.name} has the best balance (score ${score.toFixed(3)}; weights cost ${w.cost}, speed ${w.speed}, quality ${w.quality}): ~$${estimateModelCost(model, ctx.inputTokens, ctx.outputTokens).toFixed(6)}, ~${Math.round(estimateLatencyMs(model, ctx.outputTokens))} ms, quality ${estimateQuality(model, ctx.taskType).toFixed(2)}.`;
  }
}

// Floors keep free (local) models and instant fakes finite on the log scale.
function costOf(model: Model, ctx: SelectionContext): number {
  return estimateModelCost(model, ctx.inputTokens, ctx.outputTokens) + 1e-7;
}

function latencyOf(model: Model, ctx: SelectionContext): number {
  return estimateLatencyMs(model, ctx.outputTokens) + 1;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
