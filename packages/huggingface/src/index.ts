export {
  type ColdStartEvent,
  type ColdStartPolicy,
  ColdStartTimeoutError,
  DEFAULT_COLD_START_POLICY,
  nextPollDelay,
} from './cold-start.js';
export {
  getHuggingFaceCapabilities,
  getHuggingFacePricing,
  getHuggingFaceTask,
  type HuggingFaceModelId,
  type HuggingFaceTask,
  isKnownHuggingFaceModel,
} from './huggingface-capabilities.js';
export { classifyHuggingFaceHttpError, ModelLoadingError } from './huggingface-error.js';
export { HuggingFaceModel, huggingface } from './huggingface-model.js';
export {
  DEFAULT_TIMEOUT_MS,
  type HuggingFaceModelSettings,
  type HuggingFaceProvider,
  huggingFaceModelConfig,
} from './huggingface-settings.js';
export {
  LazyHuggingFaceModel,
  type LazyHuggingFaceModelSettings,
  lazyHuggingFace,
} from './lazy-huggingface-model.js';
export type { HuggingFaceProviderOptions } from './map-huggingface-request.js';
