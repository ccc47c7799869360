import { InvalidModelConfigError } from '@orchestrator/core';
import { type OpenAIModelSettings, type OpenAIProtocol, readEnv } from '@orchestrator/openai';
import { getAzureModelSpec } from './azure-capabilities.js';

/** `github`: GitHub Models. `foundry`: Azure AI Foundry / Azure OpenAI (the v1 API). */
export type AzureService = 'github' | 'foundry';

export const GITHUB_MODELS_BASE_URL = 'https://models.github.ai/inference';

export interface AzureModelSettings extends Omit<OpenAIModelSettings, 'organization' | 'project'> {
  /**
   * Which service. Default: `foundry` when an endpoint is configured (`endpoint`,
   * `resourceName` or `AZURE_OPENAI_ENDPOINT`), otherwise `github`.
   */
  readonly service?: AzureService;
  /**
   * GitHub: a token with the `models` scope; default `GITHUB_TOKEN`.
   * Foundry: the resource key, sent as `api-key`; default `AZURE_OPENAI_API_KEY`.
   */
  readonly apiKey?: string;
  /**
   * Foundry: the resource endpoint, such as `https://my-res.openai.azure.com` or
   * `https://my-res.services.ai.azure.com` (`/openai/v1` is appended when the
   * path is empty); default `AZURE_OPENAI_ENDPOINT`.
   */
  readonly endpoint?: string;
  /** Foundry: the resource name, for `https://<name>.openai.azure.com/openai/v1`. */
  readonly resourceName?: string;
  /** Foundry: an `api-version` query parameter (the v1 API needs none; `preview` for preview features). */
  readonly apiVersion?: string;
  /** GitHub: bill usage to this organization (`/orgs/<org>/inference`). */
  readonly githubOrganization?: string;
  /** Exact base URL, overriding everything above (a proxy, or a fake server in tests). */
  readonly baseURL?: string;
}

export interface ResolvedAzureConfig {
  readonly service: AzureService;
  readonly baseURL: string;
  readonly protocol: OpenAIProtocol;
}

/** Chooses the service, base URL and protocol (auth header, key variable) for settings. */
export function resolveAzureConfig(settings: AzureModelSettings): ResolvedAzureConfig {
  const endpoint = settings.endpoint ?? readEnv(['AZURE_OPENAI_ENDPOINT']);
  const service: AzureService =
    settings.service ??
    (endpoint !== undefined || settings.resourceName !== undefined ? 'foundry' : 'github');
  let baseURL = settings.baseURL;
  if (baseURL === undefined) {
    if (service === 'github') {
      baseURL = settings.githubOrganization
        ? `https://models.github.ai/orgs/${encodeURIComponent(settings.githubOrganization)}/inference`
        : GITHUB_MODELS_BASE_URL;
    } else if (settings.resourceName !== undefined) {
      baseURL = `https://${encodeURIComponent(settings.resourceName)}.openai.azure.com/openai/v1`;
    } else if (endpoint !== undefined) {
      baseURL = foundryBaseURL(endpoint);
    } else {
      throw new InvalidModelConfigError(
        'endpoint',
        'Azure AI Foundry needs `endpoint`, `resourceName` or the AZURE_OPENAI_ENDPOINT variable',
      );
    }
  }
  const github = service === 'github';
  const protocol: OpenAIProtocol = {
    provider: 'azure',
    apiKeyEnv: github ? ['GITHUB_TOKEN'] : ['AZURE_OPENAI_API_KEY'],
    baseURLEnv: [],
    defaultBaseURL: baseURL,
    authHeader: github ? 'bearer' : 'api-key',
    requiresApiKey: () => true,
    missingKeyHint: github
      ? 'pass `apiKey` or set GITHUB_TOKEN (a token with the models scope)'
      : 'pass `apiKey` or set AZURE_OPENAI_API_KEY',
    specOf: getAzureModelSpec,
    providerOptionKeys: ['openai', 'azure'],
    ...(settings.apiVersion === undefined
      ? {}
      : { defaultQuery: { 'api-version': settings.apiVersion } }),
    sendOrganization: false,
  };
  return { service, baseURL, protocol };
}

/** `https://res.openai.azure.com` → `https://res.openai.azure.com/openai/v1`; explicit paths are kept. */
export function foundryBaseURL(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidModelConfigError('endpoint', `not a URL: ${endpoint}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '' || path === '/openai')
    url.pathname = `${path === '' ? '' : path}${path === '' ? '/openai/v1' : '/v1'}`;
  else url.pathname = path;
  return url.toString().replace(/\/+$/, '');
}
