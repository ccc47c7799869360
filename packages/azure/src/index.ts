export {
  type AzureDeploymentName,
  type AzureModelId,
  type GitHubModelId,
  getAzureCapabilities,
  getAzureModelSpec,
  getAzurePricing,
  KNOWN_AZURE_MODEL_IDS,
  resolveAzureModelId,
} from './azure-capabilities.js';
export { AzureModel, createAzureModel } from './azure-model.js';
export {
  type AzureModelSettings,
  type AzureService,
  foundryBaseURL,
  GITHUB_MODELS_BASE_URL,
  resolveAzureConfig,
} from './azure-settings.js';
