import type { ComplexityLevel } from '../routing/analyze-complexity.js';
import type { TaskType } from '../types/capabilities.js';
import type { FallbackCandidate, RoutingDecision, RoutingStrategy } from './orchestrator-types.js';

/** The decision's fields known when it is made (`reasoning` and `fallbacks` come later). */
export interface DecisionFields {
  readonly requestId: string;
  readonly strategy: RoutingStrategy;
  readonly taskType: TaskType;
  readonly taskTypeInferred: boolean;
  readonly complexity: ComplexityLevel;
  readonly estimatedInputTokens: number;
  readonly model: string;
  readonly provider: string;
  readonly estimatedCostUsd: number;
  readonly estimatedLatencyMs: number;
  readonly confidence: number;
  readonly candidates: number;
}

/**
 * A routing decision whose `reasoning` and `fallbacks` are written when first
 * read: most responses are never asked why, and formatting the reasons cost
 * more than routing. They are own enumerable accessors, so spreading,
 * `JSON.stringify` and `toEqual` see plain values, in the order the fields
 * always had. Not literal getters: on Node 20 each literal getter gave its
 * object a hidden class of its own, in old space, which kept the whole
 * decision alive through every scavenge (see lazy-property.ts). The pending
 * computations sit in private fields, and one shared accessor per property
 * is defined with one shared descriptor, so all decisions share hidden classes.
 */
class LazyDecision {
  #reasoning: string | (() => string);
  #fallbacks: readonly FallbackCandidate[] | (() => readonly FallbackCandidate[]);

  constructor(
    f: DecisionFields,
    reasoning: () => string,
    fallbacks: () => readonly FallbackCandidate[],
  ) {
    this.#reasoning = reasoning;
    this.#fallbacks = fallbacks;
    const self = this as unknown as Record<string, unknown>;
    self.requestId = f.requestId;
    self.strategy = f.strategy;
    self.taskType = f.taskType;
    self.taskTypeInferred = f.taskTypeInferred;
    self.complexity = f.complexity;
    self.estimatedInputTokens = f.estimatedInputTokens;
    self.model = f.model;
    self.provider = f.provider;
    Object.defineProperty(this, 'reasoning', REASONING);
    self.estimatedCostUsd = f.estimatedCostUsd;
    self.estimatedLatencyMs = f.estimatedLatencyMs;
    Object.defineProperty(this, 'fallbacks', FALLBACKS);
    self.confidence = f.confidence;
    self.candidates = f.candidates;
  }

  static reasoningOf(decision: LazyDecision): string {
    const held = decision.#reasoning;
    if (typeof held === 'string') return held;
    const value = held();
    decision.#reasoning = value;
    return value;
  }

  static fallbacksOf(decision: LazyDecision): readonly FallbackCandidate[] {
    const held = decision.#fallbacks;
    if (typeof held !== 'function') return held;
    const value = held();
    decision.#fallbacks = value;
    return value;
  }
}

const REASONING: PropertyDescriptor = {
  get(this: LazyDecision): string {
    return LazyDecision.reasoningOf(this);
  },
  enumerable: true,
  configurable: true,
};

const FALLBACKS: PropertyDescriptor = {
  get(this: LazyDecision): readonly FallbackCandidate[] {
    return LazyDecision.fallbacksOf(this);
  },
  enumerable: true,
  configurable: true,
};

/** A decision with `reasoning` and `fallbacks` computed on first read (each at most once). */
export function lazyDecision(
  fields: DecisionFields,
  reasoning: () => string,
  fallbacks: () => readonly FallbackCandidate[],
): RoutingDecision {
  return new LazyDecision(fields, reasoning, fallbacks) as unknown as RoutingDecision;
}
