import { AnthropicModel } from '@orchestrator/anthropic';
import { AzureModel } from '@orchestrator/azure';
import type { Model, ModelCapabilities } from '@orchestrator/core';
import { GoogleModel } from '@orchestrator/google';
import { type ColdStartEvent, LazyHuggingFaceModel } from '@orchestrator/huggingface';
import { type LazyOllamaEvent, LazyOllamaModel } from '@orchestrator/ollama';
import { OpenAIModel } from '@orchestrator/openai';
import type { FleetModelSpec } from './fleet-catalogue.js';
import type { ProviderMode } from './provider-env.js';

/** Keys the simulated providers are called with: placeholders, since the fakes accept any key. */
export const SIMULATED_KEY = 'simulated-key-not-a-secret';

export interface BuildTarget {
  readonly mode: ProviderMode;
  /** The fake server's base URL, when simulated. */
  readonly fakeBaseURL: string | undefined;
  /** Receives lazy-loading progress (Ollama pulls, Hugging Face cold starts). */
  readonly onLazyEvent?: (model: string, event: LazyOllamaEvent | ColdStartEvent) => void;
  /** Scales the Hugging Face cold-start polling (tests run at 0). */
  readonly timeScale?: number;
}

/**
 * The real adapter for one fleet model: against its fake server when
 * simulated (a placeholder key, the fake's URL), against the real service
 * when the provider's key is set (key and base URL from the environment).
 * Prices always come from the adapter's own table; the simulation adds the
 * per-task quality priors and, when simulated, speed priors that match the
 * fake's profile.
 */
export function buildFleetModel(spec: FleetModelSpec, target: BuildTarget): Model {
  const simulated = target.mode.mode === 'simulated';
  const live = target.mode.mode === 'live' ? target.mode : undefined;
  const url = simulated ? target.fakeBaseURL : live?.baseURL;
  const apiKey = simulated ? SIMULATED_KEY : live?.apiKey;
  const capabilities: Partial<ModelCapabilities> = {
    qualityByTask: spec.qualityByTask,
    ...(simulated
      ? {
          tokensPerSecond: spec.profile.tokensPerSecond,
          firstTokenLatencyMs: spec.profile.latencyMs,
        }
      : {}),
  };
  const common = {
    name: spec.name,
    capabilities,
    ...(apiKey === undefined ? {} : { apiKey }),
  };
  switch (spec.provider) {
    case 'github': {
      const foundry = live?.service === 'foundry';
      return new AzureModel(foundry ? spec.modelId.replace(/^[^/]+\//, '') : spec.modelId, {
        ...common,
        service: foundry ? 'foundry' : 'github',
        ...(url === undefined ? {} : { baseURL: url }),
        ...(live?.endpoint === undefined ? {} : { endpoint: live.endpoint }),
      });
    }
    case 'openai':
      return new OpenAIModel(spec.modelId, {
        ...common,
        ...(url === undefined ? {} : { baseURL: url }),
      });
    case 'anthropic':
      return new AnthropicModel({
        ...common,
        model: spec.modelId,
        ...(url === undefined ? {} : { baseURL: url }),
      });
    case 'google':
      return new GoogleModel({
        ...common,
        model: spec.modelId,
        ...(url === undefined ? {} : { baseURL: url }),
      });
    case 'ollama': {
      const { apiKey: key, ...rest } = common;
      return new LazyOllamaModel(spec.modelId, {
        ...rest,
        // The simulated server needs no key; a live one gets OLLAMA_API_KEY if it was set.
        ...(simulated || key === undefined ? {} : { apiKey: key }),
        ...(url === undefined ? {} : { host: url }),
        onEvent: (event) => target.onLazyEvent?.(spec.name, event),
      });
    }
    case 'huggingface': {
      const scale = target.timeScale ?? 1;
      return new LazyHuggingFaceModel({
        ...common,
        model: spec.modelId,
        // Simulated: a dedicated endpoint scaled to zero. Live: the Inference Providers router.
        ...(simulated && url !== undefined ? { endpointUrl: url } : {}),
        ...(!simulated && url !== undefined ? { baseURL: url } : {}),
        maxColdStartWaitMs: 120_000,
        ...(scale === 0 ? { initialPollMs: 1, maxPollIntervalMs: 1 } : {}),
        onProgress: (event) => target.onLazyEvent?.(spec.name, event),
      });
    }
  }
}
