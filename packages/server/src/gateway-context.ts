import { randomFillSync } from 'node:crypto';
import {
  AbortedError,
  AllModelsFailedError,
  type Attempt,
  type Model,
  type ModelRegistry,
  type Orchestrator,
  OrchestratorError,
  type OrchestratorRequest,
  type OrchestratorResponse,
  type OrchestratorStream,
  ProviderError,
} from '@orchestrator/core';
import type { GatewayStore, StoredApiKey } from '@orchestrator/postgres';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { GatewayConfig, ProviderName } from './config/config-schema.js';
import type { ResolvedProvider } from './engine/resolve-providers.js';
import { ApiError } from './http/api-error.js';
import type { GatewayMetrics } from './observability/metrics.js';

/** Who a request acts for: only ever derived from the API key. */
export interface Identity {
  readonly user: string;
  readonly key: StoredApiKey | undefined;
  readonly admin: boolean;
}

/** Everything the routes share. */
export interface GatewayContext {
  readonly config: GatewayConfig;
  readonly registry: ModelRegistry;
  readonly orchestrator: Orchestrator;
  readonly store: GatewayStore;
  readonly metrics: GatewayMetrics;
  readonly providers: Map<ProviderName, ResolvedProvider>;
  readonly log: FastifyBaseLogger;
  /** Names of models built from configuration or the store (the management API may change them). */
  readonly managed: Set<string>;
  /** Per-user budgets and limits fed from keys; the engine reads these objects on every request. */
  readonly userBudgets: Record<
    string,
    { limitUsd: number; period: 'daily' | 'weekly' | 'monthly' | 'total' }
  >;
  readonly userLimits: Record<string, { rpm?: number; tpm?: number }>;
}

/** Whether a key may use a model. */
export function mayUse(identity: Identity, model: string): boolean {
  const allowed = identity.key?.allowedModels;
  return allowed == null || allowed.includes(model);
}

/** Registered models the identity may use. */
export function visibleModels(ctx: GatewayContext, identity: Identity): Model[] {
  return ctx.registry.list().filter((m) => mayUse(identity, m.name));
}

export interface RequestOptions {
  readonly model?: string | undefined;
  readonly strategy?: OrchestratorRequest['strategy'] | undefined;
  readonly taskType?: OrchestratorRequest['taskType'] | undefined;
  readonly maxCost?: number | undefined;
  readonly cache?: boolean | undefined;
  readonly capabilities?: OrchestratorRequest['capabilities'] | undefined;
}

/**
 * Completes a normalized chat request with what the gateway decides: the
 * identity (from the key, nothing else), the model (checked against the
 * key's allowlist; `auto` excludes what the key may not use), the request id
 * and the abort signal tied to the client's connection.
 */
export function orchestratorRequest(
  ctx: GatewayContext,
  identity: Identity,
  chat: Omit<OrchestratorRequest, 'user' | 'model' | 'requestId' | 'signal'>,
  options: RequestOptions,
  requestId: string,
  signal: AbortSignal,
): OrchestratorRequest {
  const model = options.model === undefined || options.model === 'auto' ? undefined : options.model;
  if (model !== undefined) {
    if (!ctx.registry.has(model) || !mayUse(identity, model)) {
      // A model the key may not use looks the same as a missing one only when it does not exist;
      // an existing one gets 403 — in neither case are other models listed.
      if (!ctx.registry.has(model))
        throw new ApiError(404, 'model_not_found', `The model "${model}" does not exist.`, {
          param: 'model',
        });
      throw new ApiError(403, 'model_not_allowed', `This key may not use the model "${model}".`, {
        param: 'model',
      });
    }
  }
  const excluded =
    model === undefined && identity.key?.allowedModels != null
      ? ctx.registry
          .list()
          .filter((m) => !mayUse(identity, m.name))
          .map((m) => m.name)
      : [];
  // Written field by field: on Node 20 a literal that starts with a spread and adds
  // properties (conditional spreads included) takes V8's slow path, about a microsecond
  // per property, on every request.
  const out: Record<string, unknown> = {};
  for (const key in chat) {
    if (Object.hasOwn(chat, key)) out[key] = (chat as Record<string, unknown>)[key];
  }
  if (model !== undefined) out.model = model;
  if (options.strategy !== undefined) out.strategy = options.strategy;
  if (options.taskType !== undefined) out.taskType = options.taskType;
  if (options.maxCost !== undefined) out.maxCost = options.maxCost;
  if (options.cache !== undefined) out.cache = options.cache;
  if (options.capabilities !== undefined) out.capabilities = options.capabilities;
  if (excluded.length) out.excludeModels = excluded;
  out.user = identity.user;
  out.requestId = requestId;
  out.signal = signal;
  return out as unknown as OrchestratorRequest;
}

/** What a request ended with, as far as its usage rows are concerned. */
export interface UsageOutcome {
  readonly response?: OrchestratorResponse;
  readonly error?: unknown;
}

/** One usage row per attempt, keyed by the gateway's request id. */
export function recordUsage(
  ctx: GatewayContext,
  requestId: string,
  user: string,
  outcome: UsageOutcome,
): void {
  const now = new Date();
  const { response, error } = outcome;
  let attempts: readonly Attempt[] = [];
  if (response) attempts = response.attempts;
  else if (AllModelsFailedError.isInstance(error)) attempts = error.attempts;
  if (response?.cached) {
    ctx.store.usage.record({
      requestId,
      attempt: 1,
      user,
      model: response.modelUsed,
      provider: response.provider,
      outcome: 'cache_hit',
      inputTokens: response.usage.inputTokens ?? 0,
      outputTokens: response.usage.outputTokens ?? 0,
      costUsd: 0,
      latencyMs: response.processingTimeMs,
      cached: true,
      partial: false,
      possiblyBilled: false,
      errorCode: null,
      createdAt: now,
    });
    return;
  }
  attempts.forEach((a, i) => {
    const last = i === attempts.length - 1 && response !== undefined && a.outcome === 'success';
    ctx.store.usage.record({
      requestId,
      attempt: i + 1,
      user,
      model: a.model,
      provider: a.provider,
      outcome: a.outcome,
      inputTokens: last ? (response.usage.inputTokens ?? 0) : 0,
      outputTokens: last ? (response.usage.outputTokens ?? 0) : 0,
      costUsd: a.costUsd,
      latencyMs: a.latencyMs,
      cached: false,
      partial: response?.partial === true && i === attempts.length - 1,
      possiblyBilled: a.possiblyBilled ?? false,
      errorCode: a.errorCode ?? null,
      createdAt: now,
    });
  });
  if (attempts.length === 0 && error !== undefined && !(error instanceof ApiError)) {
    // A provider's refusal that ended the request (a 400 for a pinned model) did reach the
    // provider: it is an attempt of that model, not a rejection by the gateway.
    const refusal = ProviderError.isInstance(error) ? error : undefined;
    ctx.store.usage.record({
      requestId,
      attempt: 1,
      user,
      model: refusal ? (refusal.model ?? 'unknown') : 'none',
      provider: refusal ? refusal.provider : 'none',
      outcome: refusal
        ? failureOutcome(refusal)
        : AbortedError.isInstance(error)
          ? 'aborted'
          : 'rejected',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyMs: 0,
      cached: false,
      partial: false,
      possiblyBilled:
        (refusal as { possiblyBilled?: unknown } | undefined)?.possiblyBilled === true,
      errorCode: OrchestratorError.isInstance(error) ? error.code : 'internal_error',
      createdAt: now,
    });
  }
}

/** Writes a stream's usage rows when the engine settles it: finished, failed or aborted. */
export function recordStreamUsage(
  ctx: GatewayContext,
  requestId: string,
  user: string,
  stream: OrchestratorStream,
): void {
  stream.response.then(
    (response) => recordUsage(ctx, requestId, user, { response }),
    (error: unknown) => recordUsage(ctx, requestId, user, { error }),
  );
}

/**
 * Records a request's usage rows once its response is out: a route calls
 * this as soon as it knows the outcome, and the rows are written when the
 * response closes — after its bytes left, off the path between the
 * upstream's answer and the client's — or at once when the response has
 * already closed (the client went away before the engine settled).
 */
export function recordUsageAfterResponse(
  ctx: GatewayContext,
  request: FastifyRequest,
  outcome: UsageOutcome,
): void {
  if (request.responseClosed) recordUsage(ctx, request.id, request.identity.user, outcome);
  else request.usage = outcome;
}

/** The usage outcome of a failed call. */
function failureOutcome(error: unknown): string {
  if (AbortedError.isInstance(error)) return 'aborted';
  const code = OrchestratorError.isInstance(error) ? error.code : undefined;
  return code === 'timeout' || code === 'rate_limited' ? code : 'error';
}

/** What a direct model call (embeddings, images, audio) returned, as far as usage is concerned. */
export interface CallUsage {
  readonly costUsd: number;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
}

/**
 * Runs a direct call to one model (no routing, no fallback: embeddings,
 * images, audio, the model-method routes) and writes its one usage row —
 * success or failure — through the same outbox as chat, keyed by the
 * gateway's request id.
 */
export async function callWithUsage<T extends CallUsage>(
  ctx: GatewayContext,
  requestId: string,
  user: string,
  model: Pick<Model, 'name' | 'provider'>,
  call: () => Promise<T>,
  usageOf: (result: T) => CallUsage = (result) => result,
): Promise<T> {
  const started = performance.now();
  const row = {
    requestId,
    attempt: 1,
    user,
    model: model.name,
    provider: model.provider,
    cached: false,
    partial: false,
  };
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const code = OrchestratorError.isInstance(error) ? error.code : 'internal_error';
    ctx.store.usage.record({
      ...row,
      outcome: failureOutcome(error),
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyMs: Math.round(performance.now() - started),
      possiblyBilled: (error as { possiblyBilled?: unknown } | null)?.possiblyBilled === true,
      errorCode: code,
      createdAt: new Date(),
    });
    throw error;
  }
  const usage = usageOf(result);
  ctx.store.usage.record({
    ...row,
    outcome: 'success',
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    costUsd: usage.costUsd,
    latencyMs: Math.round(performance.now() - started),
    possiblyBilled: false,
    errorCode: null,
    createdAt: new Date(),
  });
  return result;
}

/** Random bytes for request ids, refilled 256 ids at a time (one getrandom per refill). */
const idPool = Buffer.alloc(16 * 256);
let idOffset = idPool.length;

/**
 * A request id: `req_` and 128 random bits in hex, e.g. as the gateway's own
 * request id (unique across instances: usage rows are keyed by it). Taken from
 * a pool of random bytes: ~0.1 µs, against ~0.4 µs for a UUID with its dashes
 * removed by a regular expression, on every request.
 */
export function newRequestId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + 16);
  idOffset += 16;
  return `req_${id}`;
}
