import { BudgetExceededError } from '../budgets/budget-exceeded-error.js';
import type { BudgetManager } from '../budgets/budget-manager.js';
import type { BudgetReservation } from '../budgets/budget-reservation.js';
import { CircuitOpenError } from '../errors/registry-errors.js';
import type { Permit } from '../health/circuit-breaker.js';
import type { ModelHealthMonitor } from '../health/model-health-monitor.js';
import { RateLimitExceededError } from '../limits/rate-limit-exceeded-error.js';
import type { RateLimitDecision, RateLimiter, RateLimitTicket } from '../limits/rate-limiter.js';
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
 * given back, so a refused try holds nothing. Answers synchronously when the
 * limiter and the budgets can (no limit or budget applies, or in-memory
 * stores), so the engine awaits only a real promise.
 */
export function openTry(
  model: Model,
  request: ChatRequest,
  user: string | undefined,
  maxCost: number | undefined,
  health: ModelHealthMonitor,
  limiter: RateLimiter | undefined,
  budgets: BudgetManager,
): TryHold | TryRefusal | Promise<TryHold | TryRefusal> {
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
  const opening: Opening = {
    model,
    user,
    maxCost,
    limiter,
    budgets,
    permit,
    worstCaseUsd: worstCaseCostUsd(worst, model.pricing),
    estimatedTokens: worst.total,
  };
  if (!limiter) return reserveBudget(opening, undefined, undefined);
  let decision: RateLimitDecision | Promise<RateLimitDecision>;
  try {
    decision = limiter.checkFast({
      user,
      model: model.name,
      estimatedTokens: worst.total,
      modelLimits: model.constraints,
    });
  } catch (error) {
    permit.cancel();
    throw error;
  }
  if (decision instanceof Promise) {
    return decision.then(
      (d) => afterLimits(opening, d),
      (error: unknown) => {
        permit.cancel();
        throw error;
      },
    );
  }
  return afterLimits(opening, decision);
}

/** What `openTry` has taken so far, and what it still needs. */
interface Opening {
  readonly model: Model;
  readonly user: string | undefined;
  readonly maxCost: number | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly budgets: BudgetManager;
  readonly permit: Permit;
  readonly worstCaseUsd: number;
  readonly estimatedTokens: number;
}

function afterLimits(
  opening: Opening,
  decision: RateLimitDecision,
): TryHold | TryRefusal | Promise<TryHold | TryRefusal> {
  const { model, permit } = opening;
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
  // Only the figures the limiter knows, set one by one (no conditional spreads per request).
  const info: { -readonly [K in keyof RateLimitInfo]: RateLimitInfo[K] } = {};
  if (decision.remaining.requests !== undefined)
    info.remainingRequests = decision.remaining.requests;
  if (decision.remaining.tokens !== undefined) info.remainingTokens = decision.remaining.tokens;
  if (decision.resetAt.requests !== undefined) info.resetRequestsAt = decision.resetAt.requests;
  if (decision.resetAt.tokens !== undefined) info.resetTokensAt = decision.resetAt.tokens;
  return reserveBudget(opening, decision.ticket, info);
}

function reserveBudget(
  opening: Opening,
  ticket: RateLimitTicket | undefined,
  rateLimit: RateLimitInfo | undefined,
): TryHold | TryRefusal | Promise<TryHold | TryRefusal> {
  let reservation: BudgetReservation | Promise<BudgetReservation>;
  try {
    reservation = opening.budgets.reserveFast({
      user: opening.user,
      worstCaseUsd: opening.worstCaseUsd,
      maxCostUsd: opening.maxCost,
    });
  } catch (error) {
    return refused(opening, ticket, error);
  }
  if (reservation instanceof Promise) {
    return reservation.then(
      (r) => holdOf(opening, ticket, rateLimit, r),
      (error: unknown) => refused(opening, ticket, error),
    );
  }
  return holdOf(opening, ticket, rateLimit, reservation);
}

function holdOf(
  opening: Opening,
  ticket: RateLimitTicket | undefined,
  rateLimit: RateLimitInfo | undefined,
  reservation: BudgetReservation,
): TryHold {
  return {
    permit: opening.permit,
    ticket,
    reservation,
    worstCaseUsd: opening.worstCaseUsd,
    estimatedTokens: opening.estimatedTokens,
    rateLimit,
  };
}

/** The budget refused (or failed): give back the permit and the rate-limit buckets. */
function refused(
  opening: Opening,
  ticket: RateLimitTicket | undefined,
  error: unknown,
): TryRefusal | Promise<TryRefusal> {
  opening.permit.cancel();
  const cancelled = ticket && opening.limiter ? opening.limiter.cancel(ticket) : undefined;
  const settle = (): TryRefusal => {
    if (BudgetExceededError.isInstance(error)) return { kind: 'over_budget', error };
    throw error;
  };
  return cancelled === undefined ? settle() : cancelled.then(settle);
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
