import { createAnthropicModel } from '@orchestrator/anthropic';
import { createAzureModel } from '@orchestrator/azure';
import type { Model, ModelCapabilities, ModelConstraints, ModelPricing } from '@orchestrator/core';
import { createGoogleModel } from '@orchestrator/google';
import { huggingface } from '@orchestrator/huggingface';
import { createOllamaModel } from '@orchestrator/ollama';
import { OpenAIModel } from '@orchestrator/openai';
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
      return new OpenAIModel(spec.modelId, common);
    case 'anthropic':
      return createAnthropicModel(spec.modelId, common);
    case 'google':
      return createGoogleModel(spec.modelId, common);
    case 'huggingface':
      return huggingface(spec.modelId, { ...common, ...provider.extra } as Parameters<
        typeof huggingface
      >[1]);
    case 'ollama': {
      const { baseURL, ...rest } = common;
      return createOllamaModel(spec.modelId, {
        ...rest,
        ...(baseURL === undefined ? {} : { host: baseURL }),
      });
    }
    case 'azure':
      return createAzureModel(spec.modelId, { ...common, ...provider.extra } as Parameters<
        typeof createAzureModel
      >[1]);
  }
}
