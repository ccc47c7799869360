export {
  type FakeOpenAIAuth,
  FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  type OpenAIRequestContext,
  type OpenAIRouteHandler,
} from './fake-openai-server.js';
export {
  type AnswerToolCall,
  type ChatAnswer,
  isReasoningModelId,
  type OpenAIUsageBody,
} from './openai-chat-answer.js';
export { embedText } from './openai-embeddings.js';
export {
  type OpenAIErrorBody,
  type OpenAIErrorSpec,
  openAIErrorBody,
} from './openai-error-body.js';
export type { OpenAIFaultScript } from './openai-fault-script.js';
export { DEFAULT_OPENAI_MODELS } from './openai-routes.js';
export { synthesizeJson } from './synthesize-json.js';
