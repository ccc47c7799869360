import type { Model } from '../model/model.js';
import { createSeededRandom, type Random } from '../util/random.js';
import type { CandidateSlots, CandidateTable } from './candidate-table.js';
import { lazySelection } from './lazy-selection.js';
import type { ModelSelector, Selection, SelectionContext } from './model-selector.js';

export interface UCBModelSelectorOptions {
  /**
   * Scales the exploration bonus. 1 gives UCB1-Tuned; lower exploits sooner,
   * higher explores longer. Default 1.
   */
  readonly explorationFactor?: number;
  /** Pulls every arm gets before scores are compared. Default 1. */
  readonly minTrials?: number;
  /**
   * Level of the confidence interval reported by `interval()` and used to say
   * whether a choice is settled (its lower bound beats every other upper
   * bound). Default 0.95.
   */
  readonly confidenceLevel?: number;
  /**
   * Discount per update in (0, 1]: each new outcome multiplies the weight of
   * every older one by this (discounted UCB). 1 (the default) never forgets;
   * drift is then caught by `changeDetection`. Discounting follows slow drift
   * but keeps exploring forever, which costs reward when nothing changes.
   */
  readonly discount?: number;
  /**
   * Per-arm change detection: a fast moving average of the arm's reward
   * (memory of about `window` outcomes) is compared with its long-run mean;
   * when they differ by more than `threshold` standard errors the arm's
   * history is replaced by its recent level, so the selector follows a
   * provider whose quality or latency changed. `false` turns it off.
   * Default `{ window: 40, threshold: 5 }` (chosen by sweeping 50 seeded
   * 5-arm bandits: no missed change, few false resets).
   */
  readonly changeDetection?: { readonly window?: number; readonly threshold?: number } | false;
  /** Randomness for tie-breaking among unexplored arms. Default: seeded with 1. */
  readonly random?: Random;
}

/**
 * An arm is a row of ROW numbers in one Float64Array (`rows`), found by its
 * id. Among thousands of models, an arm as an object was one cache miss for
 * the object and more for its number fields (each a separate heap box);
 * update() now writes one row, the figures it changes side by side.
 */
/** Discounted pull count, sum of rewards and sum of squared rewards, as of step AT. */
const N = 0;
const SUM = 1;
const SUM_SQ = 2;
const AT = 3;
/** Undiscounted pulls, for minTrials. */
const PULLS = 4;
/** Fast moving averages of reward and squared reward, for change detection. */
const FAST = 5;
const FAST_SQ = 6;
/** Pulls since the last reset; detection waits for a full window. */
const SINCE_RESET = 7;
/** Numbers per arm in `rows`: one cache line, all update() touches. */
const ROW = 8;
/**
 * In `boundCache`, CACHE numbers per arm: sum / n and 1 / sqrt(n), for the cheap
 * upper bound of the index that lets `selectFrom` skip most arms' full
 * index, and the AT they were worked out at: valid while the arm's AT is
 * unchanged (every update sets it to a new step), so update() writes
 * nothing for them, and they are kept apart from the rows so that each
 * update touches one line.
 */
const CACHED_AT = 0;
const MEAN = 1;
const SPREAD = 2;
const CACHE = 4;

export interface ArmStatistics {
  readonly model: string;
  readonly pulls: number;
  readonly weight: number;
  readonly mean: number | undefined;
  readonly lower: number | undefined;
  readonly upper: number | undefined;
}

/**
 * Learns which model earns the most reward: a discounted UCB1-Tuned bandit.
 * Index of arm i: mean_i + c·sqrt( ln(N)/n_i · min(1/4, V_i + sqrt(2 ln(N)/n_i)) ),
 * where n_i and N are discounted counts and V_i the discounted variance.
 * Discounting is applied lazily per arm (γ^(t − t_i)), so an update is O(1).
 */
export class UCBModelSelector implements ModelSelector {
  readonly name = 'ucb';
  readonly explorationFactor: number;
  readonly minTrials: number;
  readonly confidenceLevel: number;
  readonly discount: number;
  /** Change resets so far, across arms (for monitoring). */
  changesDetected = 0;
  private readonly detectAlpha: number;
  private readonly detectWindow: number;
  private readonly detectThreshold: number;
  private readonly random: Random;
  private readonly z: number;
  /** Each known arm's id (its row is `rows[id * ROW …]`). */
  private armIds = new Map<string, number>();
  private rows = new Float64Array(16 * ROW);
  private boundCache = new Float64Array(16 * CACHE);
  /** Ids of forgotten arms, given to the next new ones. */
  private freeIds: number[] = [];
  private nextId = 0;
  /** Updates so far (the global step) and the discounted total count. */
  private step = 0;
  private total = 0;
  /**
   * Arms by registry slot, for `selectFrom` (a Map lookup by name per
   * candidate was most of its time among thousands of models). Valid while
   * the table's model list and the set of arms are as they were when built:
   * arms are updated in place, so only adding or dropping one (`armsEpoch`)
   * or a change of the registered models invalidates it.
   */
  private slotArms = new Int32Array(0);
  private slotArmsTable: CandidateTable | undefined;
  private slotArmsModels: readonly Model[] | undefined;
  private slotArmsEpoch = -1;
  private armsEpoch = 0;

  constructor(options: UCBModelSelectorOptions = {}) {
    this.explorationFactor = check(
      'explorationFactor',
      options.explorationFactor ?? 1,
      (v) => v >= 0,
    );
    this.minTrials = check(
      'minTrials',
      options.minTrials ?? 1,
      (v) => Number.isInteger(v) && v >= 0,
    );
    this.confidenceLevel = check(
      'confidenceLevel',
      options.confidenceLevel ?? 0.95,
      (v) => v > 0 && v < 1,
    );
    this.discount = check('discount', options.discount ?? 1, (v) => v > 0 && v <= 1);
    const detection =
      options.changeDetection === false ? undefined : (options.changeDetection ?? {});
    this.detectWindow = check('changeDetection.window', detection?.window ?? 40, (v) => v >= 2);
    this.detectThreshold = detection
      ? check('changeDetection.threshold', detection.threshold ?? 5, (v) => v > 0)
      : Number.POSITIVE_INFINITY;
    this.detectAlpha = 2 / (this.detectWindow + 1);
    this.random = options.random ?? createSeededRandom(1);
    this.z = normalQuantile(0.5 + this.confidenceLevel / 2);
  }

  update(model: string, reward: number): void {
    if (!(reward >= 0 && reward <= 1))
      throw new RangeError(`UCB reward must be within [0, 1], got ${reward}`);
    this.step++;
    this.total = this.total * this.discount + 1;
    let id = this.armIds.get(model);
    if (id === undefined) {
      id = this.addArm(model);
      const r = id * ROW;
      this.rows[r + AT] = this.step;
      this.rows[r + FAST] = reward;
      this.rows[r + FAST_SQ] = reward * reward;
    }
    const rows = this.rows;
    const r = id * ROW;
    const decay = this.discount === 1 ? 1 : this.discount ** (this.step - rows[r + AT]!);
    rows[r + N] = rows[r + N]! * decay + 1;
    rows[r + SUM] = rows[r + SUM]! * decay + reward;
    rows[r + SUM_SQ] = rows[r + SUM_SQ]! * decay + reward * reward;
    rows[r + AT] = this.step;
    rows[r + PULLS]!++;
    const sinceReset = rows[r + SINCE_RESET]! + 1;
    rows[r + SINCE_RESET] = sinceReset;
    rows[r + FAST]! += this.detectAlpha * (reward - rows[r + FAST]!);
    rows[r + FAST_SQ]! += this.detectAlpha * (reward * reward - rows[r + FAST_SQ]!);
    if (sinceReset >= this.detectWindow) this.detectChange(r);
  }

  /** A zeroed row for a new arm; returns its id. */
  private addArm(model: string): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.nextId++;
      if (id * ROW >= this.rows.length) {
        const grown = new Float64Array(this.rows.length * 2);
        grown.set(this.rows);
        this.rows = grown;
        const bounds = new Float64Array(this.boundCache.length * 2);
        bounds.set(this.boundCache);
        this.boundCache = bounds;
      }
    }
    const r = id * ROW;
    this.rows.fill(0, r, r + ROW);
    this.boundCache[id * CACHE + CACHED_AT] = Number.NaN;
    this.armIds.set(model, id);
    this.armsEpoch++;
    return id;
  }

  /**
   * Two-timescale test: the fast average has standard error
   * σ·sqrt(α/(2−α)); a gap of `threshold` of those from the long-run mean is
   * a change, and the arm restarts from its recent level with the weight of
   * one window.
   */
  private detectChange(r: number): void {
    const rows = this.rows;
    const n = rows[r + N]!;
    const fast = rows[r + FAST]!;
    const mean = rows[r + SUM]! / n;
    const variance = Math.max(rows[r + SUM_SQ]! / n - mean * mean, 0.01);
    const se = Math.sqrt((variance * this.detectAlpha) / (2 - this.detectAlpha));
    if (Math.abs(fast - mean) <= this.detectThreshold * se) return;
    const weight = Math.min(this.detectWindow / 2, n);
    const decay = this.decayOf(r);
    this.total = Math.max(weight, this.total - n * decay + weight);
    rows[r + N] = weight;
    rows[r + SUM] = fast * weight;
    rows[r + SUM_SQ] = Math.max(rows[r + FAST_SQ]!, fast * fast) * weight;
    rows[r + SINCE_RESET] = 0;
    // AT is this update's step, which the cache may not have seen yet: drop it anyway.
    this.boundCache[(r / ROW) * CACHE + CACHED_AT] = Number.NaN;
    this.changesDetected++;
  }

  forget(model: string): void {
    const id = this.armIds.get(model);
    if (id === undefined) return;
    const r = id * ROW;
    this.total = Math.max(0, this.total - this.rows[r + N]! * this.decayOf(r));
    this.armIds.delete(model);
    this.freeIds.push(id);
    this.armsEpoch++;
  }

  select(candidates: readonly Model[], _context: SelectionContext): Selection {
    if (candidates.length === 0) throw new RangeError('select() needs at least one candidate');
    // One pass, one arm lookup per candidate: arms below minTrials go first (the least
    // tried of them, ties broken at random); meanwhile the best index of the others is
    // tracked, used when nobody needs exploring.
    const logTotal = Math.log(Math.max(this.total, Math.E));
    let explore: Model | undefined;
    let explorePulls = Number.POSITIVE_INFINITY;
    let ties = 0;
    let best = candidates[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < candidates.length; i++) {
      const model = candidates[i]!;
      const id = this.armIds.get(model.name);
      const r = id === undefined ? -1 : id * ROW;
      const pulls = r === -1 ? 0 : this.rows[r + PULLS]!;
      if (pulls < this.minTrials) {
        if (pulls < explorePulls) {
          explore = model;
          explorePulls = pulls;
          ties = 1;
        } else if (pulls === explorePulls && this.random() * ++ties < 1) {
          explore = model;
        }
        continue;
      }
      if (explore !== undefined) continue;
      // An arm never pulled with minTrials 0 has no statistics: unbounded, like in rank().
      const s = r === -1 ? Number.POSITIVE_INFINITY : this.index(r, logTotal);
      if (s > bestScore) {
        best = model;
        bestScore = s;
      }
    }
    if (explore) {
      const chosen = explore;
      const pulls = explorePulls;
      return lazySelection(
        chosen,
        Number.POSITIVE_INFINITY,
        () => `${chosen.name} is being explored (${pulls} of ${this.minTrials} initial trials).`,
      );
    }
    // The winner's statistics are taken now; whether its interval is clear of every
    // other candidate's (a second pass over them) is worked out only when the reason is read.
    const chosen = best;
    const score = bestScore;
    const stats = this.statistics(chosen.name);
    return lazySelection(chosen, score, () => this.explain(stats, score, candidates));
  }

  /**
   * `select` over a registry's slots: the same pass (same order, same random
   * draws for exploration ties), with arms found by slot instead of by name.
   */
  selectFrom(c: CandidateSlots, _context: SelectionContext): Selection {
    const n = c.count;
    if (n === 0) throw new RangeError('select() needs at least one candidate');
    const table = c.table;
    const slots = c.slots;
    const arms = this.armsBySlot(table);
    const rows = this.rows;
    const logTotal = Math.log(Math.max(this.total, Math.E));
    const minTrials = this.minTrials;
    // Bound-and-prune (see `pruneBound`): each arm's cheap bound first, in scratch.
    if (this.scratchBounds.length < n) this.scratchBounds = new Float64Array(n * 2);
    const bounds = this.scratchBounds;
    // Among a few arms (or with discounting, where the bound does not hold) the plain
    // scan: one pass, each arm's index at once.
    const prune = n >= PRUNE_FROM && this.discount === 1;
    const reach = prune ? this.explorationFactor * 0.5 * Math.sqrt(logTotal) : 0;
    let best = slots[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    let top = -1;
    let topBound = Number.NEGATIVE_INFINITY;
    let explore = -1;
    let explorePulls = Number.POSITIVE_INFINITY;
    let ties = 0;
    for (let k = 0; k < n; k++) {
      const slot = slots[k]!;
      const id = arms[slot]!;
      const r = id === -1 ? -1 : id * ROW;
      const pulls = r === -1 ? 0 : rows[r + PULLS]!;
      if (pulls < minTrials) {
        if (pulls < explorePulls) {
          explore = slot;
          explorePulls = pulls;
          ties = 1;
        } else if (pulls === explorePulls && this.random() * ++ties < 1) {
          explore = slot;
        }
        continue;
      }
      if (explore !== -1) continue;
      if (!prune) {
        const s = r === -1 ? Number.POSITIVE_INFINITY : this.index(r, logTotal);
        if (s > bestScore) {
          best = slot;
          bestScore = s;
        }
        continue;
      }
      const bound = r === -1 ? Number.POSITIVE_INFINITY : this.pruneBound(id, reach);
      bounds[k] = bound;
      if (top === -1 || bound > topBound) {
        top = k;
        topBound = bound;
      }
    }
    const models = table.models;
    if (explore !== -1) {
      const chosen = models[explore]!;
      const pulls = explorePulls;
      return lazySelection(
        chosen,
        Number.POSITIVE_INFINITY,
        () => `${chosen.name} is being explored (${pulls} of ${this.minTrials} initial trials).`,
      );
    }
    // The exact index of the arm with the highest bound: no arm whose bound is below it
    // can be the best. Then the plain scan (first of the highest index wins), skipping
    // arms whose bound cannot beat that floor or the best so far.
    const topArm = prune ? arms[slots[top]!]! : -1;
    const floor = topArm === -1 ? Number.POSITIVE_INFINITY : this.index(topArm * ROW, logTotal);
    for (let k = 0; prune && k < n; k++) {
      const bound = bounds[k]!;
      if (bound < floor || bound <= bestScore) continue;
      const id = arms[slots[k]!]!;
      const s = id === -1 ? Number.POSITIVE_INFINITY : this.index(id * ROW, logTotal);
      if (s > bestScore) {
        best = slots[k]!;
        bestScore = s;
      }
    }
    const chosen = models[best]!;
    const score = bestScore;
    const stats = this.statistics(chosen.name);
    // The slots are the registry's scratch: the lazily written reason gets its own copy.
    // `models` is never shrunk in place, so these slots keep naming the same models.
    const picked = slots.slice(0, n);
    return lazySelection(chosen, score, () => {
      const candidates: Model[] = [];
      for (let k = 0; k < picked.length; k++) candidates.push(models[picked[k]!]!);
      return this.explain(stats, score, candidates);
    });
  }

  /** Scratch for `selectFrom` (synchronous, never re-entered). */
  private scratchBounds = new Float64Array(64);

  /**
   * An upper bound of `index(arm)` without its divisions and square roots
   * (valid without discounting, where n is the arm's own count):
   * index = mean + c·sqrt(ratio·min(1/4, …)) ≤ mean + c·½·sqrt(ln N)/sqrt(n),
   * with mean and 1/sqrt(n) kept on the arm until it next changes. Widened by
   * far more than the rounding of either form, so it is never below the index.
   */
  private pruneBound(id: number, reach: number): number {
    const rows = this.rows;
    const r = id * ROW;
    const cache = this.boundCache;
    const c = id * CACHE;
    if (cache[c + CACHED_AT] !== rows[r + AT]) {
      cache[c + MEAN] = rows[r + SUM]! / rows[r + N]!;
      cache[c + SPREAD] = 1 / Math.sqrt(rows[r + N]!);
      cache[c + CACHED_AT] = rows[r + AT]!;
    }
    const bound = cache[c + MEAN]! + reach * cache[c + SPREAD]!;
    return bound + Math.abs(bound) * 1e-12 + 1e-12;
  }

  /** Each slot's arm id, -1 for a model without one. */
  private armsBySlot(table: CandidateTable): Int32Array {
    const models = table.models;
    if (
      this.slotArmsTable !== table ||
      this.slotArmsModels !== models ||
      this.slotArmsEpoch !== this.armsEpoch ||
      this.slotArms.length !== models.length
    ) {
      const arms = new Int32Array(models.length);
      for (let s = 0; s < models.length; s++) arms[s] = this.armIds.get(models[s]!.name) ?? -1;
      this.slotArms = arms;
      this.slotArmsTable = table;
      this.slotArmsModels = models;
      this.slotArmsEpoch = this.armsEpoch;
    }
    return this.slotArms;
  }

  rank(candidates: readonly Model[], _context: SelectionContext, limit?: number): Selection[] {
    const logTotal = Math.log(Math.max(this.total, Math.E));
    const scored = candidates.map((model, i) => {
      const id = this.armIds.get(model.name);
      const score =
        id === undefined || this.rows[id * ROW + PULLS]! < this.minTrials
          ? Number.POSITIVE_INFINITY
          : this.index(id * ROW, logTotal);
      return { model, i, score };
    });
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    if (limit !== undefined && limit < scored.length) scored.length = Math.max(0, limit);
    return scored.map(({ model, score }) =>
      lazySelection(model, score, () =>
        Number.isFinite(score)
          ? `${model.name}: upper confidence bound ${score.toFixed(3)}.`
          : `${model.name} is still being explored.`,
      ),
    );
  }

  /**
   * The bandit's sufficient statistics, for sharing between instances (the
   * Redis package sums every instance's outcomes and feeds them back with
   * `importState`). Discounting is applied, so the numbers are current.
   */
  exportState(): {
    step: number;
    arms: { model: string; n: number; sum: number; sumSq: number; pulls: number }[];
  } {
    const rows = this.rows;
    const arms = [...this.armIds.entries()].map(([model, id]) => {
      const r = id * ROW;
      const d = this.decayOf(r);
      return {
        model,
        n: rows[r + N]! * d,
        sum: rows[r + SUM]! * d,
        sumSq: rows[r + SUM_SQ]! * d,
        pulls: rows[r + PULLS]!,
      };
    });
    return { step: this.step, arms };
  }

  /**
   * Replaces what the selector knows with shared statistics (from
   * `exportState` of this or other instances, summed). Arms this selector
   * already knew keep their change-detection averages — with syncs every
   * second, restarting them would keep detection from ever firing — and
   * new arms start them at their mean.
   */
  importState(state: {
    arms: readonly { model: string; n: number; sum: number; sumSq: number; pulls: number }[];
  }): void {
    const previous = this.armIds;
    this.armIds = new Map();
    this.armsEpoch++;
    this.total = 0;
    for (const a of state.arms) {
      if (!(a.n > 0) || !Number.isFinite(a.sum) || !Number.isFinite(a.sumSq)) continue;
      // A known arm keeps its row (and with it the change-detection figures).
      const known = previous.get(a.model);
      let id = known ?? this.armIds.get(a.model);
      if (id === undefined) id = this.addArm(a.model);
      else this.armIds.set(a.model, id);
      const r = id * ROW;
      const rows = this.rows;
      rows[r + N] = a.n;
      rows[r + SUM] = a.sum;
      rows[r + SUM_SQ] = a.sumSq;
      rows[r + AT] = this.step;
      rows[r + PULLS] = a.pulls;
      this.boundCache[id * CACHE + CACHED_AT] = Number.NaN;
      if (known === undefined) {
        rows[r + FAST] = a.sum / a.n;
        rows[r + FAST_SQ] = a.sumSq / a.n;
        rows[r + SINCE_RESET] = 0;
      }
      this.total += a.n;
    }
    for (const [model, id] of previous) if (!this.armIds.has(model)) this.freeIds.push(id);
  }

  /** Discounted statistics of one arm with its confidence interval. */
  statistics(model: string): ArmStatistics {
    const id = this.armIds.get(model);
    const r = id === undefined ? -1 : id * ROW;
    const rows = this.rows;
    if (r === -1 || rows[r + N] === 0)
      return {
        model,
        pulls: r === -1 ? 0 : rows[r + PULLS]!,
        weight: 0,
        mean: undefined,
        lower: undefined,
        upper: undefined,
      };
    const decay = this.decayOf(r);
    const n = rows[r + N]! * decay;
    const mean = rows[r + SUM]! / rows[r + N]!;
    const variance = Math.max(0, rows[r + SUM_SQ]! / rows[r + N]! - mean * mean);
    // A Bernoulli-safe floor on the spread so a few identical rewards do not claim certainty.
    const half = this.z * Math.sqrt(Math.max(variance, 0.25 / (n + 1)) / n);
    return {
      model,
      pulls: rows[r + PULLS]!,
      weight: n,
      mean,
      lower: Math.max(0, mean - half),
      upper: Math.min(1, mean + half),
    };
  }

  /** True when the arm's lower bound exceeds every other candidate's upper bound. */
  isSettled(model: string, candidates: readonly Model[]): boolean {
    const chosen = this.statistics(model);
    if (chosen.lower === undefined) return false;
    for (const other of candidates) {
      if (other.name === model) continue;
      const s = this.statistics(other.name);
      if (s.upper === undefined || s.upper >= chosen.lower) return false;
    }
    return true;
  }

  /** The index of the arm whose row starts at `r`. */
  private index(r: number, logTotal: number): number {
    const rows = this.rows;
    const decay = this.decayOf(r);
    const n = rows[r + N]! * decay;
    // Means and variances are ratios of equally discounted sums, so decay cancels out.
    const mean = rows[r + SUM]! / rows[r + N]!;
    const variance = Math.max(0, rows[r + SUM_SQ]! / rows[r + N]! - mean * mean);
    const ratio = logTotal / n;
    return (
      mean +
      this.explorationFactor * Math.sqrt(ratio * Math.min(0.25, variance + Math.sqrt(2 * ratio)))
    );
  }

  /** Discount since the last update of the arm whose row starts at `r`. */
  private decayOf(r: number): number {
    return this.discount === 1 ? 1 : this.discount ** (this.step - this.rows[r + AT]!);
  }

  private explain(s: ArmStatistics, score: number, candidates: readonly Model[]): string {
    const settled = this.isSettled(s.model, candidates) ? 'settled' : 'still learning';
    return `${s.model} has the highest upper confidence bound (${score.toFixed(3)}; mean reward ${s.mean?.toFixed(3)} over ${s.pulls} outcomes, ${this.confidenceLevel * 100}% interval [${s.lower?.toFixed(3)}, ${s.upper?.toFixed(3)}], ${settled}).`;
  }
}

/** Candidates from which `selectFrom` bounds and prunes (below, the plain scan is faster). */
const PRUNE_FROM = 24;

function check(name: string, value: number, ok: (v: number) => boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || !ok(value)) {
    throw new RangeError(`UCBModelSelector option "${name}" is out of range: ${value}`);
  }
  return value;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
