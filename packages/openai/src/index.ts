export {
  buildOpenAIChatParams,
  type ChatParamsContext,
  type OpenAIChatParams,
} from './build-openai-chat-params.js';
export { convertOpenAIUsage } from './convert-openai-usage.js';
export { convertToOpenAIMessages } from './convert-to-openai-messages.js';
export { type ErrorContext, mapOpenAIError } from './map-openai-error.js';
export { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
export {
  getOpenAICapabilities,
  getOpenAIModelSpec,
  getOpenAIPricing,
  isOpenAIReasoningModel,
  KNOWN_OPENAI_MODEL_IDS,
  type OpenAIAudioModelId,
  type OpenAIChatModelId,
  type OpenAIEmbeddingModelId,
  type OpenAIImageModelId,
  type OpenAIModelId,
  type OpenAIModelSpec,
  resolveOpenAIModelId,
} from './openai-capabilities.js';
export { OpenAIStreamMapper, type StreamContext } from './openai-chat-stream.js';
export type { SdkRequestOptions } from './openai-media-calls.js';
export { createOpenAIModel, OPENAI_PROTOCOL, OpenAIModel } from './openai-model.js';
export type { OpenAIProviderOptions } from './openai-provider-options.js';
export {
  OPENAI_DEFAULT_BASE_URL,
  type OpenAICompatibility,
  type OpenAIModelSettings,
  type OpenAIProtocol,
  readEnv,
} from './openai-settings.js';
export { type ParsedCompletion, parseOpenAICompletion } from './parse-openai-completion.js';
