export {
  createLazyOllamaModel,
  type LazyOllamaEvent,
  type LazyOllamaListener,
  LazyOllamaModel,
  type LazyOllamaModelSettings,
} from './lazy-ollama-model.js';
export {
  getOllamaCapabilities,
  getOllamaPricing,
  OLLAMA_DEFAULT_NUM_CTX,
  OLLAMA_PRICING,
  type OllamaModelId,
  parseOllamaModelId,
} from './ollama-capabilities.js';
export { createOllamaModel, OllamaModel, sameOllamaModel } from './ollama-model.js';
export type { OllamaProviderOptions } from './ollama-provider-options.js';
export { DEFAULT_OLLAMA_HOST, type OllamaModelSettings } from './ollama-settings.js';
