// Types
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

// Models
export { DEFAULT_CAPABILITIES, type HealthCheckResult, Model, type ModelConfig } from './model/model.js';
export { LATENCY_WINDOW, ModelMetrics, type ModelMetricsSnapshot } from './model/model-metrics.js';
export type { ModelOutcome } from './model/model-outcome.js';

// Pricing and tokens
export { calculateCost, estimateCost, FREE_PRICING, roundUsd } from './pricing/calculate-cost.js';
export { estimateRequestTokens, estimateTextTokens } from './pricing/estimate-tokens.js';

// Utilities for adapters
export { abortedByTimeout, callSignal } from './util/call-signal.js';
export { type Clock, ManualClock, systemClock } from './util/clock.js';
