import type { Model } from '../model/model.js';
import { BalancedSelector, type BalanceWeights } from '../selectors/balanced-selector.js';
import { CostBasedSelector } from '../selectors/cost-based-selector.js';
import { estimateQuality } from '../selectors/estimates.js';
import type { ModelSelector, Selection, SelectionContext } from '../selectors/model-selector.js';
import { PerformanceSelector } from '../selectors/performance-selector.js';
import type { UCBModelSelector } from '../selectors/ucb-model-selector.js';
import type { ComplexityLevel, RoutingStrategy } from './orchestrator-types.js';
import type { UserHistory } from './user-history.js';

/**
 * Balanced weights per complexity: simple prompts lean on price and speed,
 * hard ones on quality. A request's or user's own weights replace these.
 */
export const BALANCE_WEIGHTS_BY_COMPLEXITY: Readonly<Record<ComplexityLevel, BalanceWeights>> = {
  simple: { cost: 2, speed: 1, quality: 1 },
  moderate: { cost: 1, speed: 1, quality: 2 },
  complex: { cost: 1, speed: 0.5, quality: 3 },
  expert: { cost: 0.5, speed: 0.25, quality: 4 },
};

/** Least prior quality the cost strategy accepts per complexity, so "cheap" never means "useless". */
export const COST_QUALITY_FLOOR: Readonly<Record<ComplexityLevel, number>> = {
  simple: 0,
  moderate: 0.5,
  complex: 0.7,
  expert: 0.8,
};

/** Observations of this user on a model after which their history weighs as much as the model's prior. */
const USER_PRIOR_WEIGHT = 5;

/**
 * `user_preference`: models this user has had success with, per complexity
 * level, blended with the model's prior quality so a new user gets sensible
 * choices and one bad answer does not ban a model.
 */
export class UserPreferenceSelector implements ModelSelector {
  readonly name = 'user_preference';
  constructor(
    private readonly history: UserHistory,
    private readonly user: string | undefined,
    private readonly complexity: ComplexityLevel,
  ) {}

  private score(model: Model, ctx: SelectionContext): number {
    const prior = estimateQuality(model, ctx.taskType);
    const own =
      this.user === undefined
        ? undefined
        : this.history.meanReward(this.user, model.name, this.complexity);
    if (!own) return prior;
    return (prior * USER_PRIOR_WEIGHT + own.mean * own.n) / (USER_PRIOR_WEIGHT + own.n);
  }

  private explain(model: Model): string {
    const own =
      this.user === undefined
        ? undefined
        : this.history.meanReward(this.user, model.name, this.complexity);
    return own
      ? `${model.name} has served this user best on ${this.complexity} requests (mean reward ${own.mean.toFixed(2)} over ${own.n}).`
      : `${model.name}: no history for this user yet; chosen on prior quality.`;
  }

  select(candidates: readonly Model[], ctx: SelectionContext): Selection {
    let best = candidates[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const model of candidates) {
      const s = this.score(model, ctx);
      if (s > bestScore) {
        best = model;
        bestScore = s;
      }
    }
    return { model: best, score: bestScore, reason: this.explain(best) };
  }

  rank(candidates: readonly Model[], ctx: SelectionContext): Selection[] {
    return candidates
      .map((model, i) => ({ model, i, score: this.score(model, ctx) }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .map(({ model, score }) => ({ model, score, reason: this.explain(model) }));
  }
}

export interface StrategyContext {
  readonly complexity: ComplexityLevel;
  readonly user: string | undefined;
  readonly weights: Partial<BalanceWeights> | undefined;
}

/**
 * The selector a strategy stands for. Stateless selectors are cached per
 * configuration so the hot path allocates nothing; `learned` is the shared
 * bandit every outcome feeds.
 */
export class StrategySelectors {
  private readonly cache = new Map<string, ModelSelector>();
  private readonly byComplexity = new Map<ComplexityLevel, ModelSelector>();

  constructor(
    private readonly learned: UCBModelSelector,
    private readonly history: UserHistory,
  ) {}

  for(strategy: RoutingStrategy, ctx: StrategyContext): ModelSelector {
    switch (strategy) {
      case 'learned':
        return this.learned;
      case 'user_preference':
        return new UserPreferenceSelector(this.history, ctx.user, ctx.complexity);
      case 'cost_optimal':
        return this.cached(
          `cost:${ctx.complexity}`,
          () => new CostBasedSelector({ minQuality: COST_QUALITY_FLOOR[ctx.complexity] }),
        );
      case 'performance_optimal':
        return this.cached('performance', () => new PerformanceSelector({ metric: 'latency' }));
      case 'quality_optimal':
        return this.cached(
          'quality',
          () => new BalancedSelector({ cost: 0, speed: 0, quality: 1 }),
        );
      case 'balanced': {
        // Without the request's own weights, one selector per complexity, found without
        // building a key; with them, merged field by field (no object spread per request).
        const preset = BALANCE_WEIGHTS_BY_COMPLEXITY[ctx.complexity];
        const own = ctx.weights;
        if (own === undefined) {
          let selector = this.byComplexity.get(ctx.complexity);
          if (selector === undefined) {
            selector = new BalancedSelector(preset);
            this.byComplexity.set(ctx.complexity, selector);
          }
          return selector;
        }
        const w = {
          cost: own.cost ?? preset.cost,
          speed: own.speed ?? preset.speed,
          quality: own.quality ?? preset.quality,
        };
        return this.cached(
          `balanced:${w.cost}:${w.speed}:${w.quality}`,
          () => new BalancedSelector(w),
        );
      }
    }
  }

  private cached(key: string, make: () => ModelSelector): ModelSelector {
    let selector = this.cache.get(key);
    if (!selector) {
      selector = make();
      // Per-request weights could grow this without bound; keep it small.
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(key, selector);
    }
    return selector;
  }
}
