import type { Model } from '../model/model.js';
import { estimateLatencyMs, estimateSpeed, estimateSuccessRate } from './estimates.js';
import type { SelectionContext } from './model-selector.js';
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
