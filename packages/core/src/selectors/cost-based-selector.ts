import type { Model } from '../model/model.js';
import type { CandidateSlots } from './candidate-table.js';
import { costAt, estimateModelCost, estimateQuality, qualityAt } from './estimates.js';
import { lazySelection } from './lazy-selection.js';
import type { Selection, SelectionContext } from './model-selector.js';
import { ScoringSelector } from './scoring-selector.js';

export interface CostBasedSelectorOptions {
  /** Models whose expected quality for the task is below this are ranked after all others. */
  readonly minQuality?: number;
}

/**
 * The cheapest eligible model for the request's size. Among equal prices the
 * better-quality model wins (quality enters as a sub-micro-dollar tiebreak).
 */
export class CostBasedSelector extends ScoringSelector {
  readonly name = 'cost';
  private readonly minQuality: number;

  constructor(options: CostBasedSelectorOptions = {}) {
    super();
    this.minQuality = options.minQuality ?? 0;
  }

  protected score(model: Model, ctx: SelectionContext): number {
    const quality = estimateQuality(model, ctx.taskType);
    const cost = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
    const penalty = quality < this.minQuality ? 1e6 : 0;
    return -(cost + penalty) + quality * 1e-9;
  }

  /** `select` over a registry's columns: the same score, read from typed arrays. */
  override selectFrom(c: CandidateSlots, ctx: SelectionContext): Selection {
    // A subclass with its own score is scored by it, from models.
    if (this.score !== CostBasedSelector.prototype.score) return super.selectFrom(c, ctx);
    const n = c.count;
    if (n === 0) throw new RangeError('select() needs at least one candidate');
    const t = c.table;
    const slots = c.slots;
    const prior = t.priorQuality(ctx.taskType);
    const input = ctx.inputTokens;
    const output = ctx.outputTokens;
    const minQuality = this.minQuality;
    let best = slots[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const slot = slots[k]!;
      const quality = qualityAt(t, prior, slot);
      const cost = costAt(t, slot, input, output);
      const penalty = quality < minQuality ? 1e6 : 0;
      const s = -(cost + penalty) + quality * 1e-9;
      // As in ScoringSelector.select: the first is taken, later ones only when strictly better.
      if (k === 0 || s > bestScore) {
        best = slot;
        bestScore = s;
      }
    }
    const model = t.models[best]!;
    const score = bestScore;
    return lazySelection(model, score, () => this.explain(model, score, ctx));
  }

  protected explain(model: Model, _score: number, ctx: SelectionContext): string {
    const cost = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
    return `${model.name} is the cheapest eligible model: about $${cost.toFixed(6)} for ~${ctx.inputTokens} input and ${ctx.outputTokens} output tokens.`;
  }
}
