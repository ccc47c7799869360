export {
  API_KEY_PREFIX,
  type CreateApiKeyOptions,
  type CreatedApiKey,
  createApiKey,
  hashApiKey,
} from './auth/api-keys.js';
export {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigJsonSchema,
  gatewayConfigSchema,
  modelEntrySchema,
  PROVIDERS,
  type ProviderName,
} from './config/config-schema.js';
export { ConfigError, loadConfig, parseConfig, parseConfigText } from './config/load-config.js';
export { type CreateServerOptions, createServer, type GatewayServer } from './create-server.js';
export { PROVIDER_ENV } from './engine/resolve-providers.js';
export { ApiError } from './http/api-error.js';
export { openApiDocument } from './observability/openapi.js';
