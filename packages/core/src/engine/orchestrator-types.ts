import type { Capability, TaskType } from '../types/capabilities.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';

export const ROUTING_STRATEGIES = [
  'cost_optimal',
  'performance_optimal',
  'quality_optimal',
  'balanced',
  'user_preference',
  'learned',
] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

import type { ComplexityLevel } from '../routing/analyze-complexity.js';

export type { ComplexityLevel };

/** A chat request plus what the orchestrator needs to route, limit and account for it. */
export interface OrchestratorRequest extends ChatRequest {
  /** Pin a registered model; absent or `auto` lets the orchestrator choose. */
  readonly model?: string;
  /** The task; inferred from the prompt when absent. */
  readonly taskType?: TaskType;
  readonly strategy?: RoutingStrategy;
  /** Capabilities the answering model must have (added to those the request implies). */
  readonly capabilities?: readonly Capability[];
  /** Most this request may cost, USD (worst case: input plus max output tokens). */
  readonly maxCost?: number;
  readonly excludeModels?: readonly string[];
  /**
   * The authenticated identity the request is made for. Budgets, rate limits,
   * cache entries and preferences are scoped by it. The gateway sets it from
   * the API key only — never from anything in the request body.
   */
  readonly user?: string;
  /** Structured facts injected into the prompt (see `formatContext`). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** `false` bypasses the cache (as does `metadata.cache_disabled`). */
  readonly cache?: boolean;
  /** The caller's request id; one is generated when absent. */
  readonly requestId?: string;
  /** Total deadline of the request, every attempt included, ms. */
  readonly timeoutMs?: number;
  /** Cancels the request. A cancellation is not a provider failure. */
  readonly signal?: AbortSignal;
  /** Weights of the `balanced` strategy for this request. */
  readonly weights?: { readonly cost?: number; readonly speed?: number; readonly quality?: number };
}

export interface FallbackCandidate {
  readonly model: string;
  readonly provider: string;
  readonly reason: string;
}

/** What `route` decided, without calling anything. */
export interface RoutingDecision {
  readonly requestId: string;
  readonly model: string;
  readonly provider: string;
  readonly strategy: RoutingStrategy;
  /** Why this model, in a sentence or two. */
  readonly reasoning: string;
  readonly estimatedCostUsd: number;
  readonly estimatedLatencyMs: number;
  /** Models tried next, in order, if the chosen one fails. */
  readonly fallbacks: readonly FallbackCandidate[];
  /** How sure the choice is, in [0, 1]. */
  readonly confidence: number;
  readonly taskType: TaskType;
  /** Whether the task type was inferred from the prompt. */
  readonly taskTypeInferred: boolean;
  readonly complexity: ComplexityLevel;
  readonly estimatedInputTokens: number;
  readonly candidates: number;
}

export type AttemptOutcome =
  | 'success'
  | 'error'
  | 'timeout'
  | 'circuit_open'
  | 'rate_limited'
  | 'over_budget'
  | 'aborted';

export interface Attempt {
  readonly model: string;
  readonly provider: string;
  readonly outcome: AttemptOutcome;
  readonly latencyMs: number;
  readonly costUsd: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The provider may have billed a call that failed after its body was sent. */
  readonly possiblyBilled?: boolean;
  /** 1 for the first try on this model, 2 for its first retry… */
  readonly try: number;
}

export interface RateLimitInfo {
  readonly remainingRequests?: number;
  readonly remainingTokens?: number;
  readonly resetRequestsAt?: number;
  readonly resetTokensAt?: number;
}

export interface OrchestratorResponse extends ChatResponse {
  readonly requestId: string;
  readonly modelUsed: string;
  readonly cached: boolean;
  readonly processingTimeMs: number;
  readonly attempts: readonly Attempt[];
  readonly decision: RoutingDecision | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  /** True when a stream ended early: usage covers only what was produced. */
  readonly partial: boolean;
}
