export {
  type AnthropicModelId,
  canonicalAnthropicModelId,
  getAnthropicCapabilities,
  getAnthropicPricing,
  isKnownAnthropicModel,
} from './anthropic-capabilities.js';
export {
  AnthropicModel,
  type AnthropicModelSettings,
  createAnthropicModel,
} from './anthropic-model.js';
export type { AnthropicProviderOptions } from './validate-anthropic-options.js';
