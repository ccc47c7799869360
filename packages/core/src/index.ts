// Types

// A typed event emitter, re-exported so adapters need no dependency of their own.
export { EventEmitter } from 'eventemitter3';
// Budgets
export * from './budgets/budget-exceeded-error.js';
export type {
  BudgetLedger,
  BudgetUsage,
  CommitResult,
  ReserveResult,
  SyncBudgetLedger,
} from './budgets/budget-ledger.js';
export { isSyncBudgetLedger } from './budgets/budget-ledger.js';
export * from './budgets/budget-manager.js';
export * from './budgets/budget-period.js';
export * from './budgets/budget-reservation.js';
export * from './budgets/memory-budget-ledger.js';
export { limitToMicros, MICROS_PER_USD, microsToUsd, usdToMicros } from './budgets/money.js';
// Cache
export * from './cache/cache-key.js';
export type { CacheStore, SyncCacheStore } from './cache/cache-store.js';
export { isSyncCacheStore } from './cache/cache-store.js';
export {
  CanonicalizationError,
  canonicalJson,
  MAX_CANONICAL_DEPTH,
} from './cache/canonical-json.js';
export * from './cache/memory-cache-store.js';
export * from './cache/model-cache.js';
export { StoreTimeoutError, withTimeout } from './cache/with-timeout.js';
// The engine
export * from './engine/batch-scheduler.js';
export * from './engine/orchestrator.js';
export * from './engine/orchestrator-analytics.js';
export * from './engine/orchestrator-batch.js';
export * from './engine/orchestrator-errors.js';
export type { OrchestratorEvents } from './engine/orchestrator-events.js';
export type { OrchestratorOptions, RoutingOptions } from './engine/orchestrator-options.js';
export type { OrchestratorStream } from './engine/orchestrator-stream.js';
export * from './engine/orchestrator-types.js';
export {
  backoffDelay,
  type Disposition,
  dispositionOf,
  type RetryOptions,
} from './engine/retry-policy.js';
export {
  BALANCE_WEIGHTS_BY_COMPLEXITY,
  COST_QUALITY_FLOOR,
  UserPreferenceSelector,
} from './engine/strategies.js';
export { preferForTask } from './engine/task-routes.js';
export { UserHistory } from './engine/user-history.js';
// Errors
export { classifyHttpError, type HttpFailure } from './errors/classify-provider-error.js';
export { OrchestratorError } from './errors/orchestrator-error.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './errors/parse-retry-after.js';
export {
  AbortedError,
  AuthenticationError,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  OverloadedError,
  ProviderError,
  type ProviderErrorOptions,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
  UnsupportedFeatureError,
} from './errors/provider-errors.js';
export { redactSecrets } from './errors/redact.js';
export {
  CircuitOpenError,
  DuplicateModelError,
  type Exclusion,
  InvalidModelConfigError,
  ModelNotFoundError,
  NoEligibleModelsError,
} from './errors/registry-errors.js';
// Health
export {
  type BreakerState,
  type BreakerTransition,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type Permit,
} from './health/circuit-breaker.js';
export {
  countsAgainstHealth,
  type HealthChange,
  type HealthMonitorEvents,
  type HealthStatus,
  type ModelHealth,
  ModelHealthMonitor,
  type ModelHealthMonitorOptions,
} from './health/model-health-monitor.js';
// Rate limits
export type {
  ConsumeResult,
  CounterStore,
  PeekResult,
  SyncCounterStore,
} from './limits/counter-store.js';
export { isSyncCounterStore } from './limits/counter-store.js';
export * from './limits/memory-counter-store.js';
export * from './limits/rate-limit-exceeded-error.js';
export * from './limits/rate-limiter.js';
// Models
export {
  DEFAULT_CAPABILITIES,
  type HealthCheckResult,
  Model,
  type ModelConfig,
} from './model/model.js';
export { LATENCY_WINDOW, ModelMetrics, type ModelMetricsSnapshot } from './model/model-metrics.js';
export type { ModelOutcome } from './model/model-outcome.js';
// Pricing and tokens
export { calculateCost, estimateCost, FREE_PRICING, roundUsd } from './pricing/calculate-cost.js';
export { estimateRequestTokens, estimateTextTokens } from './pricing/estimate-tokens.js';
// Registry
export { defaultReward } from './registry/default-reward.js';
export {
  ModelRegistry,
  type ModelRegistryOptions,
  type ModelSummary,
} from './registry/model-registry.js';
export type { RegistryEvents } from './registry/registry-events.js';
export {
  DEFAULT_ESTIMATED_INPUT_TOKENS,
  DEFAULT_ESTIMATED_OUTPUT_TOKENS,
  type SelectionCriteria,
} from './registry/selection-criteria.js';
// Task and complexity routing
export {
  analyzeComplexity,
  COMPLEXITY_LEVELS,
  COMPLEXITY_THRESHOLDS,
  type ComplexityAnalysis,
  type ComplexitySignals,
  levelFor,
} from './routing/analyze-complexity.js';
export { classifyTask, type TaskClassification } from './routing/classify-task.js';
export { type FormatContextOptions, formatContext } from './routing/format-context.js';
export { promptOf } from './routing/split-prompt.js';
export {
  DEFAULT_TASK_ROUTING,
  type RoutableModel,
  rankModelsForTask,
  scoreModelForTask,
  type TaskFit,
  type TaskRoutingPreference,
  type TaskRoutingTable,
} from './routing/task-routing.js';
// Selectors
export {
  BalancedSelector,
  type BalanceWeights,
  DEFAULT_BALANCE_WEIGHTS,
} from './selectors/balanced-selector.js';
export type { CandidateSlots, CandidateTable } from './selectors/candidate-table.js';
export {
  CostBasedSelector,
  type CostBasedSelectorOptions,
} from './selectors/cost-based-selector.js';
export {
  estimateLatencyMs,
  estimateModelCost,
  estimateQuality,
  estimateSpeed,
  estimateSuccessRate,
} from './selectors/estimates.js';
export type { ModelSelector, Selection, SelectionContext } from './selectors/model-selector.js';
export {
  type PerformanceMetric,
  PerformanceSelector,
  type PerformanceSelectorOptions,
} from './selectors/performance-selector.js';
export { ScoringSelector } from './selectors/scoring-selector.js';
export {
  type ArmStatistics,
  normalQuantile,
  UCBModelSelector,
  type UCBModelSelectorOptions,
} from './selectors/ucb-model-selector.js';
// Tokens
export * from './tokens/count-request-tokens.js';
export * from './tokens/count-tokens.js';
export { ESTIMATE_MARGIN, estimateTokens } from './tokens/estimate-tokens.js';
export * from './tokens/tokenizer-registry.js';
export {
  CAPABILITIES,
  type Capability,
  type ModelCapabilities,
  type ModelConstraints,
  type ModelPricing,
  TASK_TYPES,
  type TaskType,
} from './types/capabilities.js';
export type {
  AssistantMessage,
  CallOptions,
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ContentPart,
  FinishReason,
  ImagePart,
  JsonSchema,
  MetadataValue,
  ResponseFormat,
  Role,
  SystemMessage,
  TextPart,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  ToolMessage,
  Usage,
  UserMessage,
  Warning,
} from './types/chat.js';
export type { EmbeddingRequest, EmbeddingResponse } from './types/embedding.js';
export type {
  GeneratedImage,
  ImageGenerationRequest,
  ImageGenerationResponse,
  TranscriptionRequest,
  TranscriptionResponse,
} from './types/media.js';
// Utilities for adapters
export {
  abortedByTimeout,
  type CallScope,
  callScope,
  callSignal,
  type StoppableCallScope,
  signalOwnedByCall,
  type TimedCall,
  timedCallScope,
} from './util/call-signal.js';
export { type Clock, ManualClock, systemClock } from './util/clock.js';
export { createSeededRandom, type Random } from './util/random.js';
