export { type AzureService, azureErrorBody, contentFilterResults } from './azure-error-body.js';
export { FakeAzureServer, type FakeAzureServerOptions } from './fake-azure-server.js';
export { catalogEntry, DEFAULT_GITHUB_MODELS, type GitHubCatalogEntry } from './github-catalog.js';
