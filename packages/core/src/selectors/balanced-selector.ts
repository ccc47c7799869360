import type { Model } from '../model/model.js';
import type { CandidateSlots } from './candidate-table.js';
import {
  costAt,
  estimateLatencyMs,
  estimateModelCost,
  estimateQuality,
  latencyAt,
  qualityAt,
} from './estimates.js';
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
  private scratchQualities = new Float64Array(64);
  /** The winner's score, left by `pick`. */
  private pickedScore = 0;

  private scratch(n: number): void {
    if (this.scratchCosts.length < n) {
      this.scratchCosts = new Float64Array(n * 2);
      this.scratchLatencies = new Float64Array(n * 2);
      this.scratchQualities = new Float64Array(n * 2);
    }
  }

  /**
   * The generic select with the per-candidate estimates kept in reused
   * scratch arrays (no allocation per call; fresh arrays per call, and the
   * elements-kind transitions of filling them, cost more than the
   * arithmetic), and the winner's figures captured for its reason.
   */
  override select(candidates: readonly Model[], ctx: SelectionContext): Selection {
    const n = candidates.length;
    if (n === 0) throw new RangeError('select() needs at least one candidate');
    this.scratch(n);
    const costs = this.scratchCosts;
    const latencies = this.scratchLatencies;
    const qualities = this.scratchQualities;
    for (let i = 0; i < n; i++) {
      const model = candidates[i]!;
      costs[i] = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
      latencies[i] = estimateLatencyMs(model, ctx.outputTokens);
      qualities[i] = estimateQuality(model, ctx.taskType);
    }
    const best = this.pick(n);
    return this.selection(candidates[best]!, best);
  }

  /**
   * `select` over a registry's columns: the same figures, read from typed
   * arrays instead of four objects per candidate, then the same `pick`.
   */
  override selectFrom(c: CandidateSlots, ctx: SelectionContext): Selection {
    // A subclass that changes `select` gets its own choice, from models.
    if (this.select !== BalancedSelector.prototype.select) return super.selectFrom(c, ctx);
    const n = c.count;
    if (n === 0) throw new RangeError('select() needs at least one candidate');
    const t = c.table;
    const slots = c.slots;
    this.scratch(n);
    const costs = this.scratchCosts;
    const latencies = this.scratchLatencies;
    const qualities = this.scratchQualities;
    const input = ctx.inputTokens;
    const output = ctx.outputTokens;
    const prior = t.priorQuality(ctx.taskType);
    for (let k = 0; k < n; k++) {
      const slot = slots[k]!;
      costs[k] = costAt(t, slot, input, output);
      latencies[k] = latencyAt(t, slot, output);
      qualities[k] = qualityAt(t, prior, slot);
    }
    const best = this.pick(n);
    return this.selection(t.models[slots[best]!]!, best);
  }

  private selection(model: Model, best: number): Selection {
    const score = this.pickedScore;
    const cost = this.scratchCosts[best]!;
    const latency = this.scratchLatencies[best]!;
    const quality = this.scratchQualities[best]!;
    return lazySelection(model, score, () => this.describe(model, score, cost, latency, quality));
  }

  /**
   * The index of the best of the `n` candidates in scratch — exactly the
   * full scan's (the first of the highest `combine`), with bound-and-prune:
   *
   * - `combine` is at most its value with perfect cost and speed terms,
   *   (w.cost + w.speed + w.quality·quality) / total, the same arithmetic with
   *   both terms at their maximum (rounding is monotonic, so never below),
   *   and at most `bound`, which replaces the logarithms by lower bounds;
   * - a candidate whose bound does not beat the best so far could not have
   *   replaced it (ties keep the earlier), and one whose bound is below the
   *   exact score of some candidate (`floor`) cannot be the best at all;
   *   either way its logarithms are skipped.
   *
   * `floor` is the best exact score of three likely winners (the cheapest,
   * the fastest and the best-quality), so most candidates fail the first,
   * cheapest bound. Index 0 is always scored, as the full scan takes it first.
   */
  private pick(n: number): number {
    const costs = this.scratchCosts;
    const latencies = this.scratchLatencies;
    const qualities = this.scratchQualities;
    let minCost = Number.POSITIVE_INFINITY;
    let minLatency = Number.POSITIVE_INFINITY;
    let cheapest = 0;
    let fastest = 0;
    let finest = 0;
    for (let k = 0; k < n; k++) {
      const c = costs[k]!;
      const l = latencies[k]!;
      if (c < minCost) {
        minCost = c;
        cheapest = k;
      }
      if (l < minLatency) {
        minLatency = l;
        fastest = k;
      }
      if (qualities[k]! > qualities[finest]!) finest = k;
    }
    // Rounding is monotonic, so the floored minimum is the minimum of the floored values.
    minCost += COST_FLOOR;
    minLatency += LATENCY_FLOOR;
    // Math.max would let a NaN through; `>` keeps the floor a real score (or -Infinity).
    let floor = Number.NEGATIVE_INFINITY;
    let s = this.combine(
      costs[cheapest]!,
      latencies[cheapest]!,
      qualities[cheapest]!,
      minCost,
      minLatency,
    );
    if (s > floor) floor = s;
    s = this.combine(
      costs[fastest]!,
      latencies[fastest]!,
      qualities[fastest]!,
      minCost,
      minLatency,
    );
    if (s > floor) floor = s;
    s = this.combine(costs[finest]!, latencies[finest]!, qualities[finest]!, minCost, minLatency);
    if (s > floor) floor = s;
    const w = this.weights;
    const perfect = w.cost + w.speed;
    const total = this.total;
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const quality = qualities[k]!;
      if (k !== 0) {
        const loose = (perfect + w.quality * quality) / total;
        if (loose < floor || loose <= bestScore) continue;
        const tight = this.bound(costs[k]!, latencies[k]!, quality, minCost, minLatency);
        if (tight < floor || tight <= bestScore) continue;
      }
      s = this.combine(costs[k]!, latencies[k]!, quality, minCost, minLatency);
      // `>` after a first unconditional pick: ties keep the earlier candidate.
      if (k === 0 || s > bestScore) {
        best = k;
        bestScore = s;
      }
    }
    this.pickedScore = bestScore;
    return best;
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

  /**
   * An upper bound of `combine` without logarithms: log10 is replaced by a
   * lower bound of it (below), which can only raise each term; BOUND_SLACK
   * covers the rounding of both forms. Cheaper than the two logarithms, and
   * tight enough (within 1% of a decade up to 10×) that most candidates that
   * cannot win are skipped with it.
   */
  private bound(
    cost: number,
    latency: number,
    quality: number,
    minCost: number,
    minLatency: number,
  ): number {
    const w = this.weights;
    const costScore =
      w.cost === 0 ? 0 : 1 - clamp01(log10Below((cost + COST_FLOOR) / minCost) / COST_DECADES);
    const speedScore =
      w.speed === 0
        ? 0
        : 1 - clamp01(log10Below((latency + LATENCY_FLOOR) / minLatency) / LATENCY_DECADES);
    return (
      (w.cost * costScore + w.speed * speedScore + w.quality * quality) / this.total + BOUND_SLACK
    );
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

/** Far above the rounding error of a score in [0, 1] (~1e-16), far below any real difference. */
const BOUND_SLACK = 1e-12;

/**
 * A lower bound of log10(x) for x ≥ 1, from ln y ≥ 3(y²−1)/(y²+4y+1) (y ≥ 1)
 * at y = √x: ln x ≥ 6(x−1)/(x+4√x+1). Exact at 1, within 0.01 decades up to
 * 10× and 0.2 up to 100×; one square root and one division instead of a log.
 */
export function log10Below(x: number): number {
  return (6 * (x - 1)) / ((x + 4 * Math.sqrt(x) + 1) * Math.LN10);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
