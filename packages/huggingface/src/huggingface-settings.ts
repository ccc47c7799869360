import type { InferenceProviderOrPolicy } from '@huggingface/inference';
import {
  InvalidModelConfigError,
  type ModelCapabilities,
  type ModelConfig,
  type ModelConstraints,
  type ModelPricing,
} from '@orchestrator/core';
import {
  getHuggingFaceCapabilities,
  getHuggingFacePricing,
  getHuggingFaceTask,
  type HuggingFaceModelId,
  type HuggingFaceTask,
} from './huggingface-capabilities.js';
import { PROVIDER } from './huggingface-error.js';
import type { FetchFunction } from './huggingface-fetch.js';

export type HuggingFaceProvider = InferenceProviderOrPolicy;

export interface HuggingFaceModelSettings {
  /** The Hub model id, e.g. `meta-llama/Llama-3.3-70B-Instruct` (a router suffix like `:cerebras` is allowed). */
  readonly model: HuggingFaceModelId;
  /** Name in the registry; defaults to the model id. */
  readonly name?: string;
  /** Access token; falls back to `HF_TOKEN`, then `HUGGINGFACE_API_KEY`. */
  readonly apiKey?: string;
  /** A dedicated Inference Endpoint or TGI/TEI server; the router is used when absent. */
  readonly endpointUrl?: string;
  /** Inference Providers routing: `auto` (default) or a provider such as `hf-inference`, `together`. */
  readonly provider?: HuggingFaceProvider;
  /** Send router requests here instead of https://router.huggingface.co (a proxy, a fake server). */
  readonly baseURL?: string;
  /** Send Hub requests (provider mapping, health) here instead of https://huggingface.co. */
  readonly hubURL?: string;
  /** How the model is called; by default from the model id. */
  readonly task?: HuggingFaceTask;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one call in ms (default 60 000). */
  readonly timeoutMs?: number;
  /** The fetch the SDK sends with; default: `@orchestrator/transport`'s shared pool. */
  readonly fetch?: FetchFunction;
  /** Bill an organization (`X-HF-Bill-To`). */
  readonly billTo?: string;
  readonly capabilities?: Partial<ModelCapabilities>;
  readonly pricing?: ModelPricing;
  readonly constraints?: ModelConstraints;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const HEALTH_TIMEOUT_MS = 10_000;

export function envKey(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.HF_TOKEN || env?.HUGGINGFACE_API_KEY || undefined;
}

/**
 * The registry description (name, capabilities, price, timeout) of a Hub
 * model: a pure function of the settings, shared by the lazy variant.
 */
export function huggingFaceModelConfig(settings: HuggingFaceModelSettings): {
  config: ModelConfig;
  task: HuggingFaceTask;
} {
  if (settings.endpointUrl && settings.provider) {
    throw new InvalidModelConfigError(
      'provider',
      'cannot be combined with endpointUrl (a dedicated endpoint has no routing)',
    );
  }
  const task = settings.task ?? getHuggingFaceTask(settings.model);
  const base = getHuggingFaceCapabilities(settings.model);
  const features =
    task === 'embeddings' && !base.features.includes('embeddings')
      ? [...base.features, 'embeddings' as const]
      : base.features;
  return {
    task,
    config: {
      name: settings.name ?? settings.model,
      provider: PROVIDER,
      capabilities: { ...base, features, ...settings.capabilities },
      pricing: settings.pricing ?? getHuggingFacePricing(settings.model),
      constraints: {
        ...settings.constraints,
        timeoutMs: settings.timeoutMs ?? settings.constraints?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      },
    },
  };
}
