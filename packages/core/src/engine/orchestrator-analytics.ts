import type { UserBudgetStatus } from '../budgets/budget-manager.js';
import type { ModelHealth } from '../health/model-health-monitor.js';
import { COMPLEXITY_LEVELS } from '../routing/analyze-complexity.js';
import type { Orchestrator } from './orchestrator.js';
import type { ComplexityLevel } from './orchestrator-types.js';

export interface ModelAnalytics {
  readonly model: string;
  readonly provider: string;
  readonly requests: number;
  readonly successRate: number;
  readonly latencyP50Ms: number | undefined;
  readonly latencyP95Ms: number | undefined;
  readonly latencyP99Ms: number | undefined;
  readonly tokensPerSecond: number | undefined;
  readonly totalCostUsd: number;
  readonly meanReward: number | undefined;
  readonly breaker: ModelHealth['breaker'];
  readonly status: ModelHealth['status'];
}

export interface Recommendation {
  readonly complexity: ComplexityLevel;
  readonly current: string;
  readonly suggested: string;
  readonly reason: string;
  /** Estimated saving per request, USD. */
  readonly savingPerRequestUsd: number;
}

export interface UserAnalytics {
  readonly user: string;
  readonly budget: UserBudgetStatus | undefined;
  readonly spentUsd: number;
  readonly requests: number;
  /** The model with the best mean reward per complexity level, from this user's own history. */
  readonly preferredModels: Readonly<Partial<Record<ComplexityLevel, string>>>;
  readonly recommendations: readonly Recommendation[];
}

export function modelAnalytics(engine: Orchestrator): ModelAnalytics[] {
  return engine.registry.summary().map(({ name, provider, metrics: m, health }) => ({
    model: name,
    provider,
    requests: m.requests,
    successRate: m.successRate,
    latencyP50Ms: m.latencyP50Ms,
    latencyP95Ms: m.latencyP95Ms,
    latencyP99Ms: m.latencyP99Ms,
    tokensPerSecond: m.tokensPerSecond,
    totalCostUsd: m.totalCostUsd,
    meanReward: m.meanReward,
    breaker: health.breaker,
    status: health.status,
  }));
}

/** Least requests on a level before a model's record there counts. */
const MIN_EVIDENCE = 5;
/** A cheaper model qualifies when its mean reward is at least this share of the current one's. */
const AS_GOOD = 0.95;

export async function userAnalytics(engine: Orchestrator, user: string): Promise<UserAnalytics> {
  const history = engine.history.of(user);
  const preferred: Partial<Record<ComplexityLevel, string>> = {};
  const recommendations: Recommendation[] = [];
  let spent = 0;
  let requests = 0;
  for (const h of history) {
    spent += h.total.costUsd;
    requests += h.total.requests;
  }
  for (const level of COMPLEXITY_LEVELS) {
    const rows = history
      .map((h) => ({ model: h.model, s: h.byComplexity[level] }))
      .filter(
        (r): r is { model: string; s: NonNullable<typeof r.s> } =>
          r.s !== undefined && r.s.requests > 0,
      )
      .map((r) => ({
        model: r.model,
        n: r.s.requests,
        reward: r.s.rewardSum / r.s.requests,
        cost: r.s.costUsd / r.s.requests,
      }));
    if (rows.length === 0) continue;
    const best = rows.reduce((a, b) => (b.reward > a.reward ? b : a));
    preferred[level] = best.model;
    // The model this user spends most on at this level, and a cheaper one that did as well.
    const current = rows.reduce((a, b) => (b.n * b.cost > a.n * a.cost ? b : a));
    const cheaper = rows
      .filter(
        (r) =>
          r.model !== current.model &&
          r.n >= MIN_EVIDENCE &&
          r.cost < current.cost &&
          r.reward >= AS_GOOD * current.reward,
      )
      .sort((a, b) => a.cost - b.cost)[0];
    if (cheaper && current.n >= MIN_EVIDENCE) {
      recommendations.push({
        complexity: level,
        current: current.model,
        suggested: cheaper.model,
        reason: `On your ${level} requests ${cheaper.model} scored ${cheaper.reward.toFixed(2)} vs ${current.reward.toFixed(2)} for ${current.model} at ${Math.round((1 - cheaper.cost / current.cost) * 100)}% lower cost (${cheaper.n} vs ${current.n} requests).`,
        savingPerRequestUsd: current.cost - cheaper.cost,
      });
    }
  }
  return {
    user,
    budget: await engine.budgets.status(user),
    spentUsd: spent,
    requests,
    preferredModels: preferred,
    recommendations,
  };
}
