// Types

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
// Selectors
export {
  BalancedSelector,
  type BalanceWeights,
  DEFAULT_BALANCE_WEIGHTS,
} from './selectors/balanced-selector.js';
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
export { abortedByTimeout, callSignal } from './util/call-signal.js';
export { type Clock, ManualClock, systemClock } from './util/clock.js';
export { createSeededRandom, type Random } from './util/random.js';
