import type { Model } from '../model/model.js';
import type { CandidateSlots } from './candidate-table.js';
import {
  estimateLatencyMs,
  estimateSpeed,
  estimateSuccessRate,
  latencyAt,
  speedAt,
  successRateAt,
} from './estimates.js';
import { lazySelection } from './lazy-selection.js';
import type { Selection, SelectionContext } from './model-selector.js';
import { ScoringSelector } from './scoring-selector.js';

export type PerformanceMetric = 'latency' | 'throughput' | 'success';

export interface PerformanceSelectorOptions {
  /** What "fastest" means: lowest latency (default), most tokens/s, or highest success rate. */
  readonly metric?: PerformanceMetric;
}

/** The best-performing model by live metrics, falling back to declared priors. */
export class PerformanceSelector extends ScoringSelector {
  readonly name: string;
  readonly metric: PerformanceMetric;

  constructor(options: PerformanceSelectorOptions = {}) {
    super();
    this.metric = options.metric ?? 'latency';
    this.name = `performance:${this.metric}`;
  }

  protected score(model: Model, ctx: SelectionContext): number {
    switch (this.metric) {
      case 'latency':
        return -estimateLatencyMs(model, ctx.outputTokens);
      case 'throughput':
        return estimateSpeed(model) ?? 0;
      case 'success':
        return estimateSuccessRate(model);
    }
  }

  /** `select` over a registry's columns: the same score, read from typed arrays. */
  override selectFrom(c: CandidateSlots, ctx: SelectionContext): Selection {
    // A subclass with its own score is scored by it, from models.
    if (this.score !== PerformanceSelector.prototype.score) return super.selectFrom(c, ctx);
    const n = c.count;
    if (n === 0) throw new RangeError('select() needs at least one candidate');
    const t = c.table;
    const slots = c.slots;
    const output = ctx.outputTokens;
    const metric = this.metric;
    let best = slots[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const slot = slots[k]!;
      let s: number;
      if (metric === 'latency') s = -latencyAt(t, slot, output);
      else if (metric === 'throughput') {
        const speed = speedAt(t, slot);
        s = !Number.isNaN(speed) ? speed : 0;
      } else s = successRateAt(t, slot);
      // As in ScoringSelector.select: the first is taken, later ones only when strictly better.
      if (k === 0 || s > bestScore) {
        best = slot;
        bestScore = s;
      }
    }
    const model = t.models[best]!;
    const score = bestScore;
    return lazySelection(model, score, () => this.explain(model, score));
  }

  protected explain(model: Model, score: number): string {
    switch (this.metric) {
      case 'latency':
        return `${model.name} has the lowest expected latency (~${Math.round(-score)} ms).`;
      case 'throughput':
        return `${model.name} has the highest throughput (~${Math.round(score)} tokens/s).`;
      case 'success':
        return `${model.name} has the highest success rate (~${(score * 100).toFixed(1)}%).`;
    }
  }
}
