import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import { BudgetManager } from '../budgets/budget-manager.js';
import { ModelCache } from '../cache/model-cache.js';
import { OrchestratorError } from '../errors/orchestrator-error.js';
import { AbortedError, TimeoutError } from '../errors/provider-errors.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import type { Model } from '../model/model.js';
import { estimateRequestTokens } from '../pricing/estimate-tokens.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import type { SelectionCriteria } from '../registry/selection-criteria.js';
import { analyzeComplexity } from '../routing/analyze-complexity.js';
import { classifyTask } from '../routing/classify-task.js';
import { formatContext } from '../routing/format-context.js';
import { promptOf } from '../routing/split-prompt.js';
import { DEFAULT_TASK_ROUTING, type TaskRoutingTable } from '../routing/task-routing.js';
import { estimateLatencyMs, estimateModelCost } from '../selectors/estimates.js';
import type { Selection } from '../selectors/model-selector.js';
import { UCBModelSelector } from '../selectors/ucb-model-selector.js';
import {
  type EncodingName,
  encodingForModel,
  preloadTokenizers,
} from '../tokens/tokenizer-registry.js';
import type { Capability, TaskType } from '../types/capabilities.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import { type Clock, systemClock } from '../util/clock.js';
import { createSeededRandom, type Random } from '../util/random.js';
import { BatchScheduler } from './batch-scheduler.js';
import { buildResponse, cachedResponse } from './build-response.js';
import { Deadline, sleep } from './deadline.js';
import { defineLazy } from './lazy-property.js';
import {
  type ModelAnalytics,
  modelAnalytics,
  type UserAnalytics,
  userAnalytics,
} from './orchestrator-analytics.js';
import { type BatchOptions, type BatchResult, processBatch } from './orchestrator-batch.js';
import { AllModelsFailedError } from './orchestrator-errors.js';
import type { OrchestratorEvents } from './orchestrator-events.js';
import type { OrchestratorOptions } from './orchestrator-options.js';
import { type OrchestratorStream, streamRequest } from './orchestrator-stream.js';
import type {
  Attempt,
  ComplexityLevel,
  FallbackCandidate,
  OrchestratorRequest,
  OrchestratorResponse,
  RoutingDecision,
  RoutingStrategy,
} from './orchestrator-types.js';
import { RecentRequests } from './recent-requests.js';
import { impliedCapabilities, toChatRequest } from './request-text.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  dispositionOf,
  RetryBudget,
  retryAfterOf,
} from './retry-policy.js';
import { lazyDecision } from './routing-decision.js';
import { settleFailure, settleSuccess } from './settle-try.js';
import { StrategySelectors } from './strategies.js';
import { preferForTask } from './task-routes.js';
import { isRefusal, openTry, refusalEndsRequest, type TryHold } from './try-gate.js';
import { UserHistory } from './user-history.js';
import { validateRequest } from './validate-request.js';

/** The plan of one request: the decision and the ordered models to try. */
export interface Plan {
  readonly decision: RoutingDecision;
  readonly order: readonly Model[];
  readonly chat: ChatRequest;
  readonly complexity: ComplexityLevel;
  readonly taskType: TaskType;
}

interface Remembered {
  readonly model: string;
  readonly taskType: TaskType;
  readonly complexity: ComplexityLevel;
  readonly user: string | undefined;
  feedback: number | undefined;
}

const ANONYMOUS = '\u0000anonymous';

/** `timeoutMs: 0` turns a store's timeout guard off (see `withTimeout`). */
const NO_STORE_TIMEOUT = { timeoutMs: 0 } as const;

/**
 * The engine: routes each request to the model that should answer it, and
 * runs it with fallback, retries, circuit breakers, caching, rate limits and
 * budgets, learning from every outcome.
 */
export class Orchestrator extends EventEmitter<OrchestratorEvents> {
  readonly registry: ModelRegistry;
  readonly cache: ModelCache<ChatResponse> | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly budgets: BudgetManager;
  readonly learner: UCBModelSelector;
  readonly history = new UserHistory();
  readonly defaultStrategy: RoutingStrategy;
  /** @internal */ readonly clock: Clock;
  /** @internal */ readonly retry: Required<NonNullable<OrchestratorOptions['retry']>>;
  /** @internal */ readonly maxModels: number;
  /** @internal */ readonly timeouts: { totalMs: number; attemptMs: number; idleMs: number };
  /** @internal */ readonly retryBudget: RetryBudget;
  /** @internal */ readonly random: Random;
  private readonly strategies: StrategySelectors;
  private readonly taskRoutes: TaskRoutingTable;
  private readonly expectedOutputTokens: number;
  private readonly recent: RecentRequests<Remembered>;
  private readonly batches: BatchScheduler;
  /** The clock as a function, made once (each request's Deadline reads it). */
  private readonly now = (): number => this.clock.now();

  constructor(options: OrchestratorOptions) {
    super();
    if (!options?.registry) throw new TypeError('new Orchestrator() needs { registry }');
    this.registry = options.registry;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? createSeededRandom(Date.now());
    const stores = options.stores ?? {};
    // The in-memory stores this engine creates answer synchronously and cannot stall,
    // so their calls skip the store timeout (a timer and a Promise.race per call, on
    // every request); a timeout the caller sets, or any external store, keeps it.
    this.cache =
      options.cache === false
        ? undefined
        : options.cache instanceof ModelCache
          ? options.cache
          : new ModelCache<ChatResponse>({
              clock: this.clock,
              ...(stores.cache ? { store: stores.cache } : {}),
              ...(stores.cache || options.cache?.store ? {} : NO_STORE_TIMEOUT),
              ...options.cache,
            });
    this.limiter =
      options.limits instanceof RateLimiter
        ? options.limits
        : new RateLimiter({
            clock: this.clock,
            ...(stores.counters ? { store: stores.counters } : {}),
            ...(stores.counters || options.limits?.store ? {} : NO_STORE_TIMEOUT),
            ...options.limits,
          });
    this.budgets =
      options.budgets instanceof BudgetManager
        ? options.budgets
        : new BudgetManager({
            clock: this.clock,
            ...(stores.ledger ? { ledger: stores.ledger } : {}),
            ...(stores.ledger || options.budgets?.ledger ? {} : NO_STORE_TIMEOUT),
            ...options.budgets,
          });
    this.learner = options.learner ?? new UCBModelSelector({ random: this.random });
    this.registry.attach(this.learner);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.retryBudget = new RetryBudget(
      this.retry.budgetRatio,
      this.retry.minRetriesPerWindow,
      this.retry.budgetWindowMs,
    );
    this.maxModels = Math.max(1, options.fallback?.maxModels ?? 3);
    this.timeouts = {
      totalMs: options.timeouts?.totalMs ?? 120_000,
      attemptMs: options.timeouts?.attemptMs ?? 60_000,
      idleMs: options.timeouts?.idleMs ?? 30_000,
    };
    this.defaultStrategy = options.routing?.defaultStrategy ?? 'balanced';
    this.taskRoutes = { ...DEFAULT_TASK_ROUTING, ...options.routing?.taskRoutes };
    this.expectedOutputTokens = options.routing?.expectedOutputTokens ?? 500;
    this.strategies = new StrategySelectors(this.learner, this.history);
    this.recent = new RecentRequests(options.feedbackWindow ?? 10_000);
    this.batches = new BatchScheduler(Math.max(1, options.batchConcurrency ?? 16));
  }

  /**
   * Loads the real tokenizers (BPE encodings) of the registered models, so
   * budget reservations and token limits count OpenAI-family requests
   * exactly rather than by the (higher) estimate. Call it once at start-up,
   * before serving traffic: each encoding takes ~150 ms and megabytes to
   * load, so nothing is loaded at import time, and without this call the
   * engine keeps working on estimates. Loads only the encodings some
   * registered model uses (models registered later: call it again, or
   * `preloadTokenizers()` for all). Safe to call more than once.
   */
  async warmUp(): Promise<void> {
    const names = new Set<EncodingName>();
    for (const model of this.registry.list()) {
      const name = encodingForModel(model.name);
      if (name !== undefined) names.add(name);
    }
    if (names.size > 0) await preloadTokenizers([...names]);
  }

  /** Streams a request; see `OrchestratorStream`. */
  stream(request: OrchestratorRequest): OrchestratorStream {
    return streamRequest(this, request);
  }

  /** Runs many requests; one settled result per request, in order, failures included. */
  processBatch(
    requests: readonly OrchestratorRequest[],
    options?: BatchOptions,
  ): Promise<BatchResult[]> {
    return processBatch(this, this.batches, requests, options);
  }

  /** Per model: requests, success rate, latency percentiles, cost, reward, breaker state. */
  modelAnalytics(): ModelAnalytics[] {
    return modelAnalytics(this);
  }

  /** Per user: spend against budget, preferred models per complexity, recommendations. */
  userAnalytics(user: string): Promise<UserAnalytics> {
    return userAnalytics(this, user);
  }

  /** Decides which model would answer, without calling anything. */
  route(request: OrchestratorRequest): RoutingDecision {
    return this.plan(request, request.requestId ?? randomUUID()).decision;
  }

  /** @internal Classifies, filters and ranks: the decision and the order of models to try. */
  plan(request: OrchestratorRequest, requestId: string, now = this.clock.now()): Plan {
    // Validated on every call: a few type checks cost less than remembering validated
    // request objects in a WeakSet (whose entries also slow every scavenge), and a
    // request changed after an earlier call is checked again.
    validateRequest(request);
    const text = promptOf(request);
    const classified = request.taskType === undefined ? classifyTask(text) : undefined;
    const taskType: TaskType = request.taskType ?? classified!.taskType;
    const complexity = analyzeComplexity(request).level;
    const strategy = request.strategy ?? this.defaultStrategy;
    const contextBlock = request.context ? formatContext(request.context) : undefined;
    const chat = toChatRequest(
      request as OrchestratorRequest & Record<string, unknown>,
      contextBlock,
    );
    const inputTokens = estimateRequestTokens(chat);
    const outputTokens = request.maxTokens ?? this.expectedOutputTokens;
    // Decisions are written out field by field, not as `{ ...base, … }`: on Node 20 a
    // literal that starts with a spread and adds properties costs microseconds each.
    const taskTypeInferred = classified !== undefined;

    if (request.model !== undefined && request.model !== 'auto') {
      const model = this.registry.get(request.model);
      const decision: RoutingDecision = {
        requestId,
        strategy,
        taskType,
        taskTypeInferred,
        complexity,
        estimatedInputTokens: inputTokens,
        model: model.name,
        provider: model.provider,
        reasoning: `The request pinned ${model.name}.`,
        estimatedCostUsd: estimateModelCost(model, inputTokens, outputTokens),
        estimatedLatencyMs: estimateLatencyMs(model, outputTokens),
        fallbacks: [],
        confidence: 1,
        candidates: 1,
      };
      return { decision, order: [model], chat, complexity, taskType };
    }

    const capabilities: Capability[] = ['chat', ...impliedCapabilities(chat)];
    if (request.capabilities !== undefined) capabilities.push(...request.capabilities);
    // The task type is a preference (the task routing table below), not a
    // filter: a model that declares other tasks may still answer this one.
    // `excludeModels` is set after the literal, not spread into it (V8's slow path).
    const criteria: { -readonly [K in keyof SelectionCriteria]: SelectionCriteria[K] } = {
      capabilities,
      contextLength: inputTokens + outputTokens,
      inputTokens,
      outputTokens,
    };
    if (request.excludeModels !== undefined) criteria.excludeModels = request.excludeModels;
    const eligible = this.registry.eligible(criteria);
    // Nothing qualifies: let the registry throw NoEligibleModelsError with every model's reasons.
    if (eligible.length === 0) this.registry.select(criteria);
    const selector = this.strategies.for(strategy, {
      complexity,
      user: request.user,
      weights: request.weights,
    });
    const ctx = { taskType, inputTokens, outputTokens, now };
    // The task table picks the models to try first; the strategy orders each group.
    const [preferred, others] = preferForTask(eligible, taskType, this.taskRoutes);
    const head = preferred.length > 0 ? preferred : others;
    const chosen = selector.select(head, ctx);
    const order: Model[] = [chosen.model];
    const fallbacks: Selection[] = [];
    const want = this.maxModels - 1;
    if (want > 0) {
      for (const group of preferred.length > 0 ? [preferred, others] : [others]) {
        if (fallbacks.length >= want) break;
        const rest = group.filter((m) => m !== chosen.model);
        if (rest.length === 0) continue;
        // Only as many as are still wanted: ranking explains and orders no more than that.
        for (const s of selector.rank(rest, ctx, want - fallbacks.length)) {
          if (fallbacks.length >= want) break;
          fallbacks.push(s);
          order.push(s.model);
        }
      }
    }
    const estimatedCostUsd = estimateModelCost(chosen.model, inputTokens, outputTokens);
    const estimatedLatencyMs = estimateLatencyMs(chosen.model, outputTokens);
    const confidence = confidenceOf(
      chosen,
      fallbacks[0],
      strategy,
      this.learner,
      head,
      classified?.confidence,
    );
    // The reasoning and the fallbacks (with their reasons) are written when first read.
    const decision = lazyDecision(
      {
        requestId,
        strategy,
        taskType,
        taskTypeInferred,
        complexity,
        estimatedInputTokens: inputTokens,
        model: chosen.model.name,
        provider: chosen.model.provider,
        estimatedCostUsd,
        estimatedLatencyMs,
        confidence,
        candidates: eligible.length,
      },
      () => {
        const taskNote =
          preferred.length > 0 && preferred.length < eligible.length
            ? ` Task routing for ${taskType} put ${preferred.length} model(s) first.`
            : '';
        return `${strategyLabel(strategy)} for a ${complexity} ${taskType.replace(/_/g, ' ')} request: ${chosen.reason}${taskNote}`;
      },
      () => fallbacks.map(fallbackOf),
    );
    return {
      decision,
      order,
      chat,
      complexity,
      taskType,
    };
  }

  /** Routes and runs a request: cache, then the chosen model, then fallbacks. */
  async process(request: OrchestratorRequest): Promise<OrchestratorResponse> {
    const started = this.clock.now();
    const requestId = request.requestId ?? randomUUID();
    const cacheKey = this.cacheKeyOf(request);
    if (cacheKey !== undefined) {
      // The memory store answers synchronously: only a real promise is awaited.
      const found = this.cache!.lookup(cacheKey);
      const hit = found instanceof Promise ? await found : found;
      if (hit) {
        if (this.listenerCount('cache:hit') > 0)
          this.emit('cache:hit', { requestId, model: hit.value.model, ageMs: hit.ageMs });
        const response = cachedResponse(hit.value, requestId, this.clock.now() - started);
        if (this.listenerCount('complete') > 0) this.emit('complete', { requestId, response });
        return response;
      }
      // Events with nobody listening are skipped before their payload is built.
      if (this.listenerCount('cache:miss') > 0) this.emit('cache:miss', { requestId });
    }

    const plan = this.plan(request, requestId, started);
    if (this.listenerCount('decision') > 0) this.emit('decision', plan.decision);
    const deadline = new Deadline(
      this.now,
      request.timeoutMs ?? this.timeouts.totalMs,
      request.signal,
      started,
    );
    const attempts: Attempt[] = [];
    let lastError: unknown;
    let refusalsOnly = true;
    for (const model of plan.order) {
      const result = await this.tryModel(model, plan, request, deadline, attempts);
      if (result.response) {
        const finished = this.finish(
          result.response,
          result.hold!,
          model,
          plan,
          request,
          attempts,
          started,
        );
        const response = finished instanceof Promise ? await finished : finished;
        if (cacheKey !== undefined) {
          const stored = this.cache!.store(cacheKey, response);
          if (stored instanceof Promise) await stored;
        }
        if (this.listenerCount('complete') > 0) this.emit('complete', { requestId, response });
        return response;
      }
      lastError = result.error;
      if (!result.refusal) refusalsOnly = false;
      if (result.stop) throw result.error;
      if (model !== plan.order.at(-1)) {
        this.emit('fallback', { requestId, from: model.name, reason: errorCode(result.error) });
      }
    }
    throw this.finalError(attempts, lastError, refusalsOnly);
  }

  /** @internal The error a request ends with when no model answered. */
  finalError(attempts: readonly Attempt[], lastError: unknown, refusalsOnly: boolean): unknown {
    // Refused everywhere by our own limits or budgets: that refusal is the answer (429 / 402-like).
    if (
      refusalsOnly &&
      lastError !== undefined &&
      OrchestratorError.isInstance(lastError) &&
      lastError.code !== 'circuit_open'
    ) {
      return lastError;
    }
    if (TimeoutError.isInstance(lastError) && lastError.provider === 'orchestrator')
      return lastError;
    if (AbortedError.isInstance(lastError)) return lastError;
    const waits =
      attempts.length === 0
        ? []
        : [retryAfterOf(lastError)].filter((v): v is number => v !== undefined);
    return new AllModelsFailedError(
      attempts,
      lastError,
      waits.length ? Math.min(...waits) : undefined,
    );
  }

  /**
   * @internal Tries one model, with retries. Returns the response, or the
   * error and whether to stop (the request is at fault) or move on.
   */
  async tryModel(
    model: Model,
    plan: Plan,
    request: OrchestratorRequest,
    deadline: Deadline,
    attempts: Attempt[],
  ): Promise<{
    response?: ChatResponse;
    hold?: TryHold;
    error?: unknown;
    stop?: boolean;
    refusal?: boolean;
  }> {
    const requestId = plan.decision.requestId;
    for (let tryNo = 1; ; tryNo++) {
      try {
        deadline.check();
      } catch (error) {
        return { error, stop: true };
      }
      const opened = openTry(
        model,
        plan.chat,
        request.user,
        request.maxCost,
        this.registry.healthMonitor,
        this.limiter,
        this.budgets,
      );
      // Synchronous with in-memory limits and budgets: only a real promise is awaited.
      const hold = opened instanceof Promise ? await opened : opened;
      if (isRefusal(hold)) {
        attempts.push({
          model: model.name,
          provider: model.provider,
          outcome: hold.kind,
          latencyMs: 0,
          costUsd: 0,
          errorCode: hold.error.code,
          errorMessage: hold.error.message,
          try: tryNo,
        });
        if (hold.kind === 'rate_limited')
          this.emit('limit:rejected', { requestId, model: model.name, error: hold.error });
        if (hold.kind === 'over_budget')
          this.emit('budget:rejected', { requestId, model: model.name, error: hold.error });
        return { error: hold.error, refusal: true, stop: refusalEndsRequest(hold) };
      }
      // One reading of the clock for the retry budget, the attempt's limit and its start.
      const t0 = this.clock.now();
      this.retryBudget.onRequest(model.name, t0);
      const attempt = deadline.attempt(model.constraints.timeoutMs ?? this.timeouts.attemptMs, t0);
      if (this.listenerCount('attempt') > 0)
        this.emit('attempt', { requestId, model: model.name, try: tryNo });
      try {
        const response = await attempt.race(model.generate(plan.chat, attempt.options));
        attempt.dispose();
        return { response, hold };
      } catch (raw) {
        attempt.dispose();
        const latencyMs = this.clock.now() - t0;
        const error = settleFailure(
          this,
          model,
          plan,
          hold,
          raw,
          latencyMs,
          attempts,
          tryNo,
          deadline,
          attempt.timedOut(),
        );
        const disposition = deadline.cancelled ? 'stop' : dispositionOf(error);
        if (disposition === 'stop') return { error, stop: true };
        if (disposition === 'retry' && tryNo <= this.retry.maxRetries) {
          const wait =
            retryAfterOf(error) ??
            backoffDelay(tryNo, this.retry.baseDelayMs, this.retry.maxDelayMs, this.random);
          // A wait the deadline cannot afford moves on to the next model instead.
          if (
            wait < deadline.remaining() &&
            this.retryBudget.tryRetry(model.name, this.clock.now())
          ) {
            this.emit('retry', {
              requestId,
              model: model.name,
              try: tryNo + 1,
              delayMs: wait,
              reason: errorCode(error),
            });
            await sleep(wait, request.signal);
            continue;
          }
        }
        return { error };
      }
    }
  }

  /** @internal Accounts for a successful call and builds the response. */
  finish(
    response: ChatResponse,
    hold: TryHold,
    model: Model,
    plan: Plan,
    request: OrchestratorRequest,
    attempts: Attempt[],
    started: number,
    partial = false,
    timeToFirstTokenMs?: number,
  ): OrchestratorResponse | Promise<OrchestratorResponse> {
    const now = this.clock.now();
    const { settled } = settleSuccess(
      this,
      model,
      plan,
      request,
      hold,
      response,
      attempts,
      partial,
      timeToFirstTokenMs,
      now,
    );
    this.recent.set(plan.decision.requestId, {
      model: model.name,
      taskType: plan.taskType,
      complexity: plan.complexity,
      user: request.user,
      feedback: undefined,
    });
    // Settled synchronously (in-memory stores): the response is ready now, without
    // a promise; otherwise once the accounting is written.
    if (settled === undefined) {
      return respond(response, model, plan, hold, attempts, now - started, partial);
    }
    return settled.then(() =>
      respond(response, model, plan, hold, attempts, this.clock.now() - started, partial),
    );
  }

  /**
   * A quality signal in [0, 1] for an earlier request (a thumbs up is 1, a
   * thumbs down 0). It reaches the learning selectors and the user's history.
   * Returns false when the request is unknown (too old, or never seen).
   */
  feedback(requestId: string, score: number): boolean {
    if (!(typeof score === 'number' && score >= 0 && score <= 1)) {
      throw new RangeError(`feedback score must be a number within [0, 1], got ${String(score)}`);
    }
    const remembered = this.recent.get(requestId);
    if (!remembered || !this.registry.has(remembered.model)) return false;
    this.registry.feedback(remembered.model, score, remembered.taskType);
    if (remembered.user !== undefined) {
      // Replace the automatic reward's contribution by the human one (once per request).
      const delta = score - (remembered.feedback ?? 0.85);
      this.history.adjust(remembered.user, remembered.model, remembered.complexity, delta);
    }
    remembered.feedback = score;
    this.emit('feedback', { requestId, model: remembered.model, score });
    return true;
  }

  /** @internal The cache key of a request, or undefined when it must not be cached. */
  cacheKeyOf(request: OrchestratorRequest): string | undefined {
    if (!this.cache || request.cache === false || request.metadata?.cache_disabled === true)
      return undefined;
    const strategy = request.strategy ?? this.defaultStrategy;
    const target =
      request.model !== undefined && request.model !== 'auto' ? request.model : `auto:${strategy}`;
    return this.cache.keyFor({
      request,
      model: target,
      tenant: request.user ?? ANONYMOUS,
      ...(request.context
        ? { parameters: { context: request.context, taskType: request.taskType ?? null } }
        : {}),
    });
  }
}

/** The engine's response for a successful try. */
function respond(
  response: ChatResponse,
  model: Model,
  plan: Plan,
  hold: TryHold,
  attempts: Attempt[],
  processingTimeMs: number,
  partial: boolean,
): OrchestratorResponse {
  return buildResponse(response, {
    costUsd: response.costUsd,
    latencyMs: response.latencyMs,
    requestId: plan.decision.requestId,
    modelUsed: model.name,
    cached: false,
    processingTimeMs,
    attempts,
    decision: plan.decision,
    rateLimit: hold.rateLimit,
    partial,
  });
}

/** A fallback of the decision; its reason is the selection's, read when first asked for. */
function fallbackOf(selection: Selection): FallbackCandidate {
  const fallback = { model: selection.model.name, provider: selection.model.provider };
  defineLazy(fallback, 'reason', () => selection.reason);
  return fallback as FallbackCandidate;
}

function errorCode(error: unknown): string {
  return OrchestratorError.isInstance(error) ? error.code : 'unknown';
}

function strategyLabel(strategy: RoutingStrategy): string {
  switch (strategy) {
    case 'cost_optimal':
      return 'Cost-optimal';
    case 'performance_optimal':
      return 'Performance-optimal';
    case 'quality_optimal':
      return 'Quality-optimal';
    case 'balanced':
      return 'Balanced';
    case 'user_preference':
      return 'User preference';
    case 'learned':
      return 'Learned (UCB)';
  }
}

/**
 * A heuristic in [0, 1]: 1 with one candidate; otherwise 0.5 plus the
 * winner's relative margin over the runner-up; for `learned`, raised to 0.9
 * once the bandit's interval separates the winner, capped at 0.6 while it is
 * still exploring; scaled down when the task type was a low-confidence guess.
 */
function confidenceOf(
  chosen: Selection,
  runnerUp: Selection | undefined,
  strategy: RoutingStrategy,
  learner: UCBModelSelector,
  candidates: readonly Model[],
  taskConfidence: number | undefined,
): number {
  let c = 1;
  if (runnerUp) {
    const margin =
      Number.isFinite(chosen.score) && Number.isFinite(runnerUp.score)
        ? (chosen.score - runnerUp.score) / Math.max(Math.abs(chosen.score), 1e-9)
        : 0;
    c = 0.5 + 0.5 * Math.min(1, Math.max(0, 4 * margin));
  }
  if (strategy === 'learned') {
    c = learner.isSettled(chosen.model.name, candidates) ? Math.max(c, 0.9) : Math.min(c, 0.6);
  }
  if (taskConfidence !== undefined) c *= 0.7 + 0.3 * Math.min(1, Math.max(0, taskConfidence));
  return Math.round(c * 1000) / 1000;
}
