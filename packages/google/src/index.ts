export {
  type GoogleModelId,
  type GoogleModelTraits,
  getGoogleCapabilities,
  getGoogleModelTraits,
  getGooglePricing,
  isKnownGoogleModel,
} from './google-capabilities.js';
export { createGoogleModel, GoogleModel } from './google-model.js';
export type { GoogleProviderOptions } from './google-provider-options.js';
export type { GoogleModelSettings } from './google-settings.js';
export { convertGoogleUsage, mapGoogleFinishReason } from './map-gemini-response.js';
