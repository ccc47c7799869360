import type { BudgetLedger } from '../budgets/budget-ledger.js';
import type { BudgetManager, BudgetManagerConfig } from '../budgets/budget-manager.js';
import type { CacheStore } from '../cache/cache-store.js';
import type { CachedEntry, ModelCache, ModelCacheOptions } from '../cache/model-cache.js';
import type { CounterStore } from '../limits/counter-store.js';
import type { RateLimiter, RateLimiterConfig } from '../limits/rate-limiter.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import type { TaskRoutingTable } from '../routing/task-routing.js';
import type { UCBModelSelector } from '../selectors/ucb-model-selector.js';
import type { ChatResponse } from '../types/chat.js';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import type { RoutingStrategy } from './orchestrator-types.js';
import type { RetryOptions } from './retry-policy.js';

export interface RoutingOptions {
  /** Strategy when the request names none. Default `balanced`. */
  readonly defaultStrategy?: RoutingStrategy;
  /** Task → preferences, merged over `DEFAULT_TASK_ROUTING` task by task. */
  readonly taskRoutes?: Partial<TaskRoutingTable>;
  /** Output tokens assumed for estimates when the request sets no `maxTokens`. Default 500. */
  readonly expectedOutputTokens?: number;
}

export interface OrchestratorOptions {
  readonly registry: ModelRegistry;
  /** A cache, options for the default memory one, or `false` for none. Default: memory cache. */
  readonly cache?: ModelCache<ChatResponse> | ModelCacheOptions<ChatResponse> | false;
  /** Rate limits (RPM/TPM per model and user). Default: only models' own `constraints`. */
  readonly limits?: RateLimiter | RateLimiterConfig;
  /** Per-request and per-user budgets. Default: only a request's own `maxCost`. */
  readonly budgets?: BudgetManager | BudgetManagerConfig;
  readonly retry?: RetryOptions;
  readonly fallback?: {
    /** Most models tried for one request, the first included. Default 3. */
    readonly maxModels?: number;
  };
  readonly timeouts?: {
    /** Deadline of a whole request, every attempt included. Default 120 s. */
    readonly totalMs?: number;
    /** Timeout of one attempt (else the model's `constraints.timeoutMs`). Default 60 s. */
    readonly attemptMs?: number;
    /** A stream that produces no new token for this long is failed. Default 30 s. */
    readonly idleMs?: number;
  };
  readonly routing?: RoutingOptions;
  /** Shared-state backends for the defaults above (Redis ones come from @orchestrator/redis). */
  readonly stores?: {
    readonly cache?: CacheStore<CachedEntry<ChatResponse>>;
    readonly counters?: CounterStore;
    readonly ledger?: BudgetLedger;
  };
  /** The `learned` strategy's bandit; one with default settings otherwise. */
  readonly learner?: UCBModelSelector;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Batch requests in flight at once across all batches. Default 16. */
  readonly batchConcurrency?: number;
  /** Recent requests remembered for `feedback`. Default 10,000. */
  readonly feedbackWindow?: number;
}
