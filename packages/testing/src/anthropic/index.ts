export {
  type AnthropicErrorType,
  anthropicErrorBody,
  anthropicErrorType,
} from './anthropic-error-body.js';
export type { AnthropicFaultScript } from './anthropic-fault-script.js';
export {
  DEFAULT_ANTHROPIC_MODELS,
  type FakeAnthropicModelInfo,
} from './anthropic-model-catalog.js';
export { FakeAnthropicServer, type FakeAnthropicServerOptions } from './fake-anthropic-server.js';
