import type { BudgetExceededError } from '../budgets/budget-exceeded-error.js';
import type { RateLimitExceededError } from '../limits/rate-limit-exceeded-error.js';
import type { Attempt, OrchestratorResponse, RoutingDecision } from './orchestrator-types.js';

/** Typed events of the engine, for dashboards, logs and metrics. */
export interface OrchestratorEvents {
  decision: (decision: RoutingDecision) => void;
  attempt: (event: { requestId: string; model: string; try: number }) => void;
  'attempt:done': (event: { requestId: string; attempt: Attempt }) => void;
  retry: (event: {
    requestId: string;
    model: string;
    try: number;
    delayMs: number;
    reason: string;
  }) => void;
  fallback: (event: { requestId: string; from: string; reason: string }) => void;
  'cache:hit': (event: { requestId: string; model: string; ageMs: number }) => void;
  'cache:miss': (event: { requestId: string }) => void;
  'budget:rejected': (event: {
    requestId: string;
    model: string;
    error: BudgetExceededError;
  }) => void;
  'limit:rejected': (event: {
    requestId: string;
    model: string;
    error: RateLimitExceededError;
  }) => void;
  complete: (event: { requestId: string; response: OrchestratorResponse }) => void;
  feedback: (event: { requestId: string; model: string; score: number }) => void;
}
