import { LRUCache } from 'lru-cache';
import type { ComplexityLevel } from './orchestrator-types.js';

export interface ModelHistory {
  requests: number;
  successes: number;
  rewardSum: number;
  costUsd: number;
}

export interface UserModelHistory {
  readonly model: string;
  readonly byComplexity: Readonly<Partial<Record<ComplexityLevel, ModelHistory>>>;
  readonly total: ModelHistory;
}

/**
 * What each user's requests did on each model, per complexity level: the
 * memory behind the `user_preference` strategy and per-user recommendations.
 * Bounded: the least recently active users are forgotten past `maxUsers`.
 */
export class UserHistory {
  private readonly users: LRUCache<string, Map<string, UserModelHistory>>;

  constructor(maxUsers = 10_000) {
    this.users = new LRUCache({ max: maxUsers });
  }

  record(
    user: string,
    model: string,
    complexity: ComplexityLevel,
    success: boolean,
    reward: number,
    costUsd: number,
  ): void {
    let models = this.users.get(user);
    if (!models) {
      models = new Map();
      this.users.set(user, models);
    }
    let entry = models.get(model);
    if (!entry) {
      entry = { model, byComplexity: {}, total: empty() };
      models.set(model, entry);
    }
    const byLevel = entry.byComplexity as Partial<Record<ComplexityLevel, ModelHistory>>;
    let level = byLevel[complexity];
    if (!level) {
      level = empty();
      byLevel[complexity] = level;
    }
    for (const h of [level, entry.total]) {
      h.requests++;
      if (success) h.successes++;
      h.rewardSum += reward;
      h.costUsd += costUsd;
    }
  }

  /** Feedback adjusts the reward of an earlier outcome. */
  adjust(user: string, model: string, complexity: ComplexityLevel, delta: number): void {
    const entry = this.users.get(user)?.get(model);
    const level = entry?.byComplexity[complexity];
    if (!entry || !level) return;
    level.rewardSum += delta;
    (entry.total as ModelHistory).rewardSum += delta;
  }

  of(user: string): UserModelHistory[] {
    return [...(this.users.get(user)?.values() ?? [])];
  }

  /** The user's mean reward on a model for a level (falling back to all levels), if any history. */
  meanReward(
    user: string,
    model: string,
    complexity: ComplexityLevel,
  ): { mean: number; n: number } | undefined {
    const entry = this.users.get(user)?.get(model);
    if (!entry) return undefined;
    const h = entry.byComplexity[complexity] ?? entry.total;
    return h.requests === 0 ? undefined : { mean: h.rewardSum / h.requests, n: h.requests };
  }
}

function empty(): ModelHistory {
  return { requests: 0, successes: 0, rewardSum: 0, costUsd: 0 };
}
