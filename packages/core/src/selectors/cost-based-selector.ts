import type { Model } from '../model/model.js';
import { estimateModelCost, estimateQuality } from './estimates.js';
import type { SelectionContext } from './model-selector.js';
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

  protected explain(model: Model, _score: number, ctx: SelectionContext): string {
    const cost = estimateModelCost(model, ctx.inputTokens, ctx.outputTokens);
    return `${model.name} is the cheapest eligible model: about $${cost.toFixed(6)} for ~${ctx.inputTokens} input and ${ctx.outputTokens} output tokens.`;
  }
}
