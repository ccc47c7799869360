import type { Model, ModelCapabilities, ModelConstraints, ModelPricing } from '@orchestrator/core';
import type { ModelSettings, ProviderName } from '../config/config-schema.js';
import type { ResolvedProvider } from './resolve-providers.js';

/** What is needed to build one model: no secrets, no URLs (those come from the provider). */
export interface ModelSpec {
  readonly name: string;
  readonly provider: ProviderName;
  readonly modelId: string;
  readonly settings: ModelSettings;
}

type Common = {
  name: string;
  apiKey?: string;
  baseURL?: string;
  headers?: Readonly<Record<string, string>>;
  capabilities?: Partial<ModelCapabilities>;
  pricing?: ModelPricing;
  constraints?: ModelConstraints;
};

function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The provider adapters, each imported only once a provider with a key needs
 * it (`loadAdapters` at startup): every adapter brings its SDK, and importing
 * all six cost the gateway ~45 MB of RSS whatever was configured.
 */
const adapters: {
  openai?: typeof import('@orchestrator/openai');
  anthropic?: typeof import('@orchestrator/anthropic');
  google?: typeof import('@orchestrator/google');
  huggingface?: typeof import('@orchestrator/huggingface');
  ollama?: typeof import('@orchestrator/ollama');
  azure?: typeof import('@orchestrator/azure');
} = {};

/** Imports the adapters of these providers (once); `buildModel` needs its provider's loaded. */
export async function loadAdapters(providers: Iterable<ProviderName>): Promise<void> {
  for (const provider of providers) {
    switch (provider) {
      case 'openai':
        adapters.openai ??= await import('@orchestrator/openai');
        break;
      case 'anthropic':
        adapters.anthropic ??= await import('@orchestrator/anthropic');
        break;
      case 'google':
        adapters.google ??= await import('@orchestrator/google');
        break;
      case 'huggingface':
        adapters.huggingface ??= await import('@orchestrator/huggingface');
        break;
      case 'ollama':
        adapters.ollama ??= await import('@orchestrator/ollama');
        break;
      case 'azure':
        adapters.azure ??= await import('@orchestrator/azure');
        break;
    }
  }
}

function adapter<P extends keyof typeof adapters>(provider: P): NonNullable<(typeof adapters)[P]> {
  const loaded = adapters[provider];
  if (loaded === undefined)
    throw new Error(`The ${provider} adapter is not loaded (call loadAdapters first).`);
  return loaded as NonNullable<(typeof adapters)[P]>;
}

/** Builds a model with the real adapter of its provider, keyed and addressed by the provider. */
export function buildModel(spec: ModelSpec, provider: ResolvedProvider): Model {
  // zod's output marks absent options `| undefined`; compact() removes them, so the cast holds.
  const common = compact({
    name: spec.name,
    apiKey: provider.apiKey,
    baseURL: provider.baseURL,
    headers: provider.headers,
    capabilities: spec.settings.capabilities,
    pricing: spec.settings.pricing,
    constraints: spec.settings.constraints,
  } as Common) as Common;
  switch (spec.provider) {
    case 'openai':
      return new (adapter('openai').OpenAIModel)(spec.modelId, common);
    case 'anthropic':
      return adapter('anthropic').createAnthropicModel(spec.modelId, common);
    case 'google':
      return adapter('google').createGoogleModel(spec.modelId, common);
    case 'huggingface':
      return adapter('huggingface').huggingface(spec.modelId, {
        ...common,
        ...provider.extra,
      } as Parameters<typeof import('@orchestrator/huggingface').huggingface>[1]);
    case 'ollama': {
      const { baseURL, ...rest } = common;
      return adapter('ollama').createOllamaModel(spec.modelId, {
        ...rest,
        ...(baseURL === undefined ? {} : { host: baseURL }),
      });
    }
    case 'azure':
      return adapter('azure').createAzureModel(spec.modelId, {
        ...common,
        ...provider.extra,
      } as Parameters<typeof import('@orchestrator/azure').createAzureModel>[1]);
  }
}
