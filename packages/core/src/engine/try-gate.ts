import { BudgetExceededError } from '../budgets/budget-exceeded-error.js';
import type { BudgetManager } from '../budgets/budget-manager.js';
import type { BudgetReservation } from '../budgets/budget-reservation.js';
import { CircuitOpenError } from '../errors/registry-errors.js';
import type { Permit } from '../health/circuit-breaker.js';
import type { ModelHealthMonitor } from '../health/model-health-monitor.js';
import { RateLimitExceededError } from '../limits/rate-limit-exceeded-error.js';
import type { RateLimiter, RateLimitTicket } from '../limits/rate-limiter.js';
import type { Model } from '../model/model.js';
import { worstCaseCostUsd, worstCaseTokens } from '../tokens/count-request-tokens.js';
import type { ChatRequest } from '../types/chat.js';
import type { RateLimitInfo } from './orchestrator-types.js';

/** What one try holds while it runs; every part is settled exactly once. */
export interface TryHold {
  readonly permit: Permit;
  readonly ticket: RateLimitTicket | undefined;
  readonly reservation: BudgetReservation;
  readonly worstCaseUsd: number;
  readonly estimatedTokens: number;
  readonly rateLimit: RateLimitInfo | undefined;
}

export type TryRefusal =
  | { readonly kind: 'circuit_open'; readonly error: CircuitOpenError }
  | { readonly kind: 'rate_limited'; readonly error: RateLimitExceededError }
  | { readonly kind: 'over_budget'; readonly error: BudgetExceededError };

/**
 * Takes, in order, the model's breaker permit, its rate-limit buckets and the
 * budget for the worst case; if a later one refuses, the earlier ones are
 * given back, so a refused try holds nothing.
 */
export async function openTry(
  model: Model,
  request: ChatRequest,
  user: string | undefined,
  maxCost: number | undefined,
  health: ModelHealthMonitor,
  limiter: RateLimiter | undefined,
  budgets: BudgetManager,
): Promise<TryHold | TryRefusal> {
  const permit = health.acquire(model.name);
  if (!permit) {
    const breaker = health.breakerOf(model.name);
    return {
      kind: 'circuit_open',
      error: new CircuitOpenError(
        model.name,
        breaker?.retryAt ?? 0,
        breaker?.state === 'half_open' ? 'half_open' : 'open',
      ),
    };
  }
  const worst = worstCaseTokens(request, model.capabilities, model.name);
  const worstCaseUsd = worstCaseCostUsd(worst, model.pricing);
  let ticket: RateLimitTicket | undefined;
  let rateLimit: RateLimitInfo | undefined;
  if (limiter) {
    const decision = await limiter.check({
      user,
      model: model.name,
      estimatedTokens: worst.total,
      modelLimits: model.constraints,
    });
    if (!decision.allowed) {
      permit.cancel();
      return {
        kind: 'rate_limited',
        error: new RateLimitExceededError({
          scope: decision.limitedBy?.scope ?? 'model',
          ...(decision.limitedBy?.kind === undefined ? {} : { kind: decision.limitedBy.kind }),
          ...(decision.limitedBy?.limit === undefined ? {} : { limit: decision.limitedBy.limit }),
          retryAfterMs: decision.retryAfterMs,
          ...(decision.limitedBy?.scope === 'model' ? { model: model.name } : {}),
        }),
      };
    }
    ticket = decision.ticket;
    // Only the figures the limiter knows, set one by one (no conditional spreads per request).
    const info: { -readonly [K in keyof RateLimitInfo]: RateLimitInfo[K] } = {};
    if (decision.remaining.requests !== undefined)
      info.remainingRequests = decision.remaining.requests;
    if (decision.remaining.tokens !== undefined) info.remainingTokens = decision.remaining.tokens;
    if (decision.resetAt.requests !== undefined) info.resetRequestsAt = decision.resetAt.requests;
    if (decision.resetAt.tokens !== undefined) info.resetTokensAt = decision.resetAt.tokens;
    rateLimit = info;
  }
  let reservation: BudgetReservation;
  try {
    reservation = await budgets.reserve({ user, worstCaseUsd, maxCostUsd: maxCost });
  } catch (error) {
    permit.cancel();
    if (ticket && limiter) await limiter.cancel(ticket);
    if (BudgetExceededError.isInstance(error)) return { kind: 'over_budget', error };
    throw error;
  }
  return { permit, ticket, reservation, worstCaseUsd, estimatedTokens: worst.total, rateLimit };
}

export function isRefusal(hold: TryHold | TryRefusal): hold is TryRefusal {
  return 'kind' in hold;
}

/**
 * Whether a refusal ends the request rather than moving to the next model:
 * a user's own rate limit (or a limiter failing closed) refuses every model
 * alike, so trying them all would only repeat the refusal.
 */
export function refusalEndsRequest(refusal: TryRefusal): boolean {
  return refusal.kind === 'rate_limited' && refusal.error.scope !== 'model';
}
