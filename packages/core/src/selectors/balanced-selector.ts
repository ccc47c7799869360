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
  /** Extremes of the current candidates, gathered while their figures are estimated. */
  private readonly seen = new Extremes();

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
    const seen = this.seen;
    seen.reset();
    for (let i = 0; i < n; i++) {
      const model = candidates[i]!;
      const cost = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
      const latency = estimateLatencyMs(model, ctx.outputTokens);
      const quality = estimateQuality(model, ctx.taskType);
      costs[i] = cost;
      latencies[i] = latency;
      qualities[i] = quality;
      seen.add(i, cost, latency, quality);
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
    const seen = this.seen;
    seen.reset();
    for (let k = 0; k < n; k++) {
      const slot = slots[k]!;
      const cost = costAt(t, slot, input, output);
      const latency = latencyAt(t, slot, output);
      const quality = qualityAt(t, prior, slot);
      costs[k] = cost;
      latencies[k] = latency;
      qualities[k] = quality;
      seen.add(k, cost, latency, quality);
    }
    const best = this.pick(n);
    return this.selection(t.models[slots[best]!]!, best);
  }

  private selection(model: Model, best: number): Selection {
    const score = this.pickedScore;
    const cost = this.scratchCosts[best]!;
    const latency = this.scratchLatencies[best]!;
    const quality = this.scratchQualities[best]!;
    // One closure (the explanation) in a LazySelection: an object-literal getter here
    // would be built in dictionary mode on Node 20 (see lazy-selection.ts).
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
    const seen = this.seen;
    // Rounding is monotonic, so the floored minimum is the minimum of the floored values.
    const minCost = seen.minCost + COST_FLOOR;
    const minLatency = seen.minLatency + LATENCY_FLOOR;
    const maxQuality = qualities[seen.finest]!;
    // Math.max would let a NaN through; `>` keeps the floor a real score (or -Infinity).
    // Among a few candidates the seeds' six logarithms and the cuts' powers cost
    // more than they save: the stages alone prune there.
    const seeded = n >= SEEDED_FROM;
    let floor = Number.NEGATIVE_INFINITY;
    for (let j = 0; seeded && j < 3; j++) {
      const k = j === 0 ? seen.cheapest : j === 1 ? seen.fastest : seen.finest;
      const s = this.combine(costs[k]!, latencies[k]!, qualities[k]!, minCost, minLatency);
      if (s > floor) floor = s;
    }
    const w = this.weights;
    const wc = w.cost;
    const ws = w.speed;
    const wq = w.quality;
    const perfect = wc + ws;
    // Bounds may round differently from `combine` (a product for its division, one
    // more addition): BOUND_SLACK, far above such rounding, keeps them above it.
    const scale = 1 / this.total;
    // Costs and latencies beyond these cannot reach `level` even with the best quality
    // and a perfect other term: one comparison each, no division (see `cut`).
    let level = floor;
    let costCut = Number.POSITIVE_INFINITY;
    let latencyCut = Number.POSITIVE_INFINITY;
    if (seeded) {
      costCut = minCost * this.cut(wc, ws, COST_DECADES, level, maxQuality);
      latencyCut = minLatency * this.cut(ws, wc, LATENCY_DECADES, level, maxQuality);
    }
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const quality = qualities[k]!;
      const cost = costs[k]!;
      const latency = latencies[k]!;
      if (k !== 0) {
        if (cost + COST_FLOOR > costCut || latency + LATENCY_FLOOR > latencyCut) continue;
        // Stage by stage, each bound below the previous and above the score:
        // perfect cost and speed; then the bounded cost term; then both.
        const rest = wq * quality;
        let bound = (perfect + rest) * scale + BOUND_SLACK;
        if (bound < floor || bound <= bestScore) continue;
        const costTerm =
          wc === 0
            ? 0
            : wc * (1 - clamp01(log10Below((cost + COST_FLOOR) / minCost) / COST_DECADES));
        bound = (costTerm + ws + rest) * scale + BOUND_SLACK;
        if (bound < floor || bound <= bestScore) continue;
        const speedTerm =
          ws === 0
            ? 0
            : ws *
              (1 - clamp01(log10Below((latency + LATENCY_FLOOR) / minLatency) / LATENCY_DECADES));
        bound = (costTerm + speedTerm + rest) * scale + BOUND_SLACK;
        if (bound < floor || bound <= bestScore) continue;
      }
      const s = this.combine(cost, latency, quality, minCost, minLatency);
      // `>` after a first unconditional pick: ties keep the earlier candidate.
      if (k === 0 || s > bestScore) {
        best = k;
        bestScore = s;
        if (seeded && s > level) {
          level = s;
          costCut = minCost * this.cut(wc, ws, COST_DECADES, level, maxQuality);
          latencyCut = minLatency * this.cut(ws, wc, LATENCY_DECADES, level, maxQuality);
        }
      }
    }
    this.pickedScore = bestScore;
    return best;
  }

  /**
   * The ratio to the best (cost or latency) beyond which a candidate's score
   * is below `level`, however good its quality (at most `maxQuality`) and
   * its other term (at most 1): the term itself must exceed
   * need = ((level − CUT_SLACK)·total − other − w.quality·maxQuality) / weight,
   * and 1 − clamp01(log10(r)/decades) > need only while r < 10^(decades·(1 − need)).
   * Such a candidate cannot beat `level` — a real candidate's exact score —
   * so it can neither be the best nor replace the best so far. CUT_SLACK and
   * the widened limit keep rounding (of the power, and of the score) on the
   * safe side. Infinity (no cut) when the term cannot decide alone.
   */
  private cut(
    weight: number,
    other: number,
    decades: number,
    level: number,
    maxQuality: number,
  ): number {
    if (weight === 0) return Number.POSITIVE_INFINITY;
    const need =
      ((level - CUT_SLACK) * this.total - other - this.weights.quality * maxQuality) / weight;
    if (!(need > 0 && need < 1)) return Number.POSITIVE_INFINITY;
    return 10 ** (decades * (1 - need)) * (1 + CUT_SLACK);
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

/** Far above the rounding error of a score in [0, 1] (~1e-16), far below any real difference. */
const BOUND_SLACK = 1e-12;
/** The same for `cut`, whose power and ratios round more. */
const CUT_SLACK = 1e-9;
/** Candidates from which `pick` seeds its floor and cuts (measured: below, they cost more). */
const SEEDED_FROM = 24;

/** The cheapest, fastest and best-quality candidates (first of equals), by index. */
class Extremes {
  minCost = Number.POSITIVE_INFINITY;
  minLatency = Number.POSITIVE_INFINITY;
  maxQuality = Number.NEGATIVE_INFINITY;
  cheapest = 0;
  fastest = 0;
  finest = 0;

  reset(): void {
    this.minCost = Number.POSITIVE_INFINITY;
    this.minLatency = Number.POSITIVE_INFINITY;
    this.maxQuality = Number.NEGATIVE_INFINITY;
    this.cheapest = this.fastest = this.finest = 0;
  }

  add(index: number, cost: number, latency: number, quality: number): void {
    if (cost < this.minCost) {
      this.minCost = cost;
      this.cheapest = index;
    }
    if (latency < this.minLatency) {
      this.minLatency = latency;
      this.fastest = index;
    }
    if (quality > this.maxQuality) {
      this.maxQuality = quality;
      this.finest = index;
    }
  }
}

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
