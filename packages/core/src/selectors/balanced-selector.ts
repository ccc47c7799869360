import type { Model } from '../model/model.js';
import { estimateLatencyMs, estimateModelCost, estimateQuality } from './estimates.js';
import { lazySelection } from './lazy-selection.js';
import type { Selection, SelectionContext } from './model-selector.js';
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
  /**
   * Per candidate (by index): estimated cost and latency, so `score` does
   * not estimate them again, and the quality `score` used, for `explain`.
   */
  costs: number[];
  latencies: number[];
  qualities: number[];
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

  /** Scratch for `select`, reused across calls (it runs synchronously, never re-entered). */
  private scratchCosts = new Float64Array(64);
  private scratchLatencies = new Float64Array(64);

  /**
   * The generic select with the per-candidate estimates kept in reused
   * scratch arrays (no allocation per call; fresh arrays per call, and the
   * elements-kind transitions of filling them, cost more than the
   * arithmetic), and the winner's figures captured for its reason.
   */
  override select(candidates: readonly Model[], ctx: SelectionContext): Selection {
    const n = candidates.length;
    if (n === 0) throw new RangeError('select() needs at least one candidate');
    if (this.scratchCosts.length < n) {
      this.scratchCosts = new Float64Array(n * 2);
      this.scratchLatencies = new Float64Array(n * 2);
    }
    const costs = this.scratchCosts;
    const latencies = this.scratchLatencies;
    let minCost = Number.POSITIVE_INFINITY;
    let minLatency = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const model = candidates[i]!;
      const c = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
      const l = estimateLatencyMs(model, ctx.outputTokens);
      costs[i] = c;
      latencies[i] = l;
      if (c < minCost) minCost = c;
      if (l < minLatency) minLatency = l;
    }
    minCost += COST_FLOOR;
    minLatency += LATENCY_FLOOR;
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestQuality = 0;
    for (let i = 0; i < n; i++) {
      const quality = estimateQuality(candidates[i]!, ctx.taskType);
      const s = this.combine(costs[i]!, latencies[i]!, quality, minCost, minLatency);
      // `>` after a first unconditional pick: ties keep the earlier candidate, as before.
      if (i === 0 || s > bestScore) {
        best = i;
        bestScore = s;
        bestQuality = quality;
      }
    }
    const model = candidates[best]!;
    const cost = costs[best]!;
    const latency = latencies[best]!;
    return lazySelection(model, bestScore, () =>
      this.describe(model, bestScore, cost, latency, bestQuality),
    );
  }

  protected override prepare(candidates: readonly Model[], ctx: SelectionContext): Best {
    const n = candidates.length;
    // Fresh arrays (a lazily explained ranking keeps its state), filled by push so they
    // are packed doubles from the start.
    const costs: number[] = [];
    const latencies: number[] = [];
    const qualities: number[] = [];
    let minCost = Number.POSITIVE_INFINITY;
    let minLatency = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const model = candidates[i]!;
      const c = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
      const l = estimateLatencyMs(model, ctx.outputTokens);
      costs.push(c);
      latencies.push(l);
      qualities.push(0);
      if (c < minCost) minCost = c;
      if (l < minLatency) minLatency = l;
    }
    // Rounding is monotonic, so the floored minimum is the minimum of the floored values.
    return {
      minCost: minCost + COST_FLOOR,
      minLatency: minLatency + LATENCY_FLOOR,
      costs,
      latencies,
      qualities,
    };
  }

  /** The weighted score from a candidate's figures and the set's best cost and latency. */
  private combine(
    cost: number,
    latency: number,
    quality: number,
    minCost: number,
    minLatency: number,
  ): number {
    const w = this.weights;
    // Weights of 0 (quality_optimal) skip their term's logarithm; the sum is unchanged.
    const costScore =
      w.cost === 0 ? 0 : 1 - clamp01(Math.log10((cost + COST_FLOOR) / minCost) / COST_DECADES);
    const speedScore =
      w.speed === 0
        ? 0
        : 1 - clamp01(Math.log10((latency + LATENCY_FLOOR) / minLatency) / LATENCY_DECADES);
    return (w.cost * costScore + w.speed * speedScore + w.quality * quality) / this.total;
  }

  private describe(
    model: Model,
    score: number,
    cost: number,
    latency: number,
    quality: number,
  ): string {
    const w = this.weights;
    return `${model.name} has the best balance (score ${score.toFixed(3)}; weights cost ${w.cost}, speed ${w.speed}, quality ${w.quality}): ~$${cost.toFixed(6)}, ~${Math.round(latency)} ms, quality ${quality.toFixed(2)}.`;
  }

  protected score(model: Model, ctx: SelectionContext, best: Best, index: number): number {
    const quality = estimateQuality(model, ctx.taskType);
    best.qualities[index] = quality;
    return this.combine(
      best.costs[index]!,
      best.latencies[index]!,
      quality,
      best.minCost,
      best.minLatency,
    );
  }

  protected explain(
    model: Model,
    score: number,
    _ctx: SelectionContext,
    best: Best,
    index: number,
  ): string {
    return this.describe(
      model,
      score,
      best.costs[index]!,
      best.latencies[index]!,
      best.qualities[index]!,
    );
  }
}

// Floors keep free (local) models and instant fakes finite on the log scale.
const COST_FLOOR = 1e-7;
const LATENCY_FLOOR = 1;

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
