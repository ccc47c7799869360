import type { Capability, ModelCapabilities, ModelPricing, TaskType } from '@orchestrator/core';
import {
  getOpenAIModelSpec,
  type OpenAIModelSpec,
  resolveOpenAIModelId,
} from '@orchestrator/openai';

/** Well-known GitHub Models catalogue ids (the catalogue's own lowercase spelling). */
export type GitHubModelId =
  | 'openai/gpt-4.1'
  | 'openai/gpt-4.1-mini'
  | 'openai/gpt-4.1-nano'
  | 'openai/gpt-4o'
  | 'openai/gpt-4o-mini'
  | 'openai/o3-mini'
  | 'openai/o4-mini'
  | 'openai/text-embedding-3-small'
  | 'openai/text-embedding-3-large'
  | 'mistral-ai/codestral-2501'
  | 'mistral-ai/mistral-large-2411'
  | 'mistral-ai/mistral-nemo'
  | 'cohere/cohere-command-r-08-2024'
  | 'cohere/cohere-command-r-plus-08-2024'
  | 'meta/meta-llama-3.1-70b-instruct'
  | 'meta/meta-llama-3.1-405b-instruct'
  | 'meta/llama-3.3-70b-instruct'
  | 'microsoft/phi-4'
  | 'deepseek/deepseek-r1';
/** Azure AI Foundry deployments are named by their owner; these are the usual names. */
export type AzureDeploymentName =
  | 'gpt-4o'
  | 'gpt-4o-mini'
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'o4-mini'
  | 'o3-mini';
export type AzureModelId = GitHubModelId | AzureDeploymentName | (string & {});

const CHAT: readonly Capability[] = ['text_generation', 'chat', 'streaming'];
const CODE: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'refactoring',
  'testing',
];
const GENERAL: readonly TaskType[] = ['documentation', 'explanation', 'analysis', 'general'];
const ALL: readonly TaskType[] = [...CODE, ...GENERAL];

interface Row {
  readonly features: readonly Capability[];
  readonly context: number;
  readonly maxOut: number;
  readonly tasks: readonly TaskType[];
  readonly quality: number;
  readonly qualityByTask?: Partial<Record<TaskType, number>>;
  /** Input and output USD per million tokens (Azure pay-as-you-go list prices). */
  readonly price: readonly [number, number];
  readonly reasoning?: boolean;
}

// The non-OpenAI models of the GitHub Models catalogue, as served on Azure:
// context windows from the model cards, output capped at 4,096 tokens by the
// service, prices from Azure's serverless (pay-as-you-go) list. OpenAI models
// (`openai/...`) come from @orchestrator/openai's table.
const TABLE: Readonly<Record<string, Row>> = {
  'mistral-ai/codestral-2501': {
    features: [...CHAT, 'code_generation'],
    context: 262_144,
    maxOut: 4_096,
    tasks: CODE,
    quality: 0.74,
    qualityByTask: {
      code_generation: 0.82,
      code_completion: 0.86,
      refactoring: 0.78,
      testing: 0.76,
    },
    price: [0.3, 0.9],
  },
  'mistral-ai/mistral-large-2411': {
    features: [...CHAT, 'code_generation', 'tool_calling', 'json_mode'],
    context: 131_072,
    maxOut: 4_096,
    tasks: ALL,
    quality: 0.82,
    price: [2, 6],
  },
  'mistral-ai/mistral-nemo': {
    features: [...CHAT, 'tool_calling', 'json_mode'],
    context: 131_072,
    maxOut: 4_096,
    tasks: GENERAL,
    quality: 0.6,
    price: [0.15, 0.15],
  },
  'cohere/cohere-command-r-08-2024': {
    features: [...CHAT, 'tool_calling'],
    context: 131_072,
    maxOut: 4_096,
    tasks: GENERAL,
    quality: 0.64,
    price: [0.15, 0.6],
  },
  'cohere/cohere-command-r-plus-08-2024': {
    features: [...CHAT, 'tool_calling'],
    context: 131_072,
    maxOut: 4_096,
    tasks: GENERAL,
    quality: 0.74,
    price: [2.5, 10],
  },
  'meta/meta-llama-3.1-70b-instruct': {
    features: [...CHAT, 'code_generation'],
    context: 131_072,
    maxOut: 4_096,
    tasks: ALL,
    quality: 0.75,
    price: [2.68, 3.54],
  },
  'meta/meta-llama-3.1-405b-instruct': {
    features: [...CHAT, 'code_generation'],
    context: 131_072,
    maxOut: 4_096,
    tasks: ALL,
    quality: 0.8,
    price: [5.33, 16],
  },
  'meta/llama-3.3-70b-instruct': {
    features: [...CHAT, 'code_generation'],
    context: 131_072,
    maxOut: 4_096,
    tasks: ALL,
    quality: 0.77,
    price: [0.71, 0.71],
  },
  'microsoft/phi-4': {
    features: [...CHAT, 'code_generation'],
    context: 16_384,
    maxOut: 4_096,
    tasks: GENERAL,
    quality: 0.66,
    price: [0.125, 0.5],
  },
  'deepseek/deepseek-r1': {
    features: [...CHAT, 'code_generation', 'reasoning'],
    context: 128_000,
    maxOut: 4_096,
    tasks: ALL,
    quality: 0.86,
    price: [1.35, 5.4],
  },
};

/** The table key an id resolves to; ids are matched without regard to case (`Meta-Llama-3.1-70B-Instruct`). */
export function resolveAzureModelId(id: string): string | undefined {
  const lower = id.trim().toLowerCase();
  return TABLE[lower] ? lower : undefined;
}

/**
 * Everything the adapter knows about a GitHub Models id or Foundry deployment
 * name. `openai/…` ids and bare OpenAI names (deployments are usually named
 * after their model) use @orchestrator/openai's table; the rest of the
 * GitHub catalogue has its own rows; anything else gets conservative defaults.
 * A pure function of the id.
 */
export function getAzureModelSpec(id: AzureModelId): OpenAIModelSpec {
  const own = resolveAzureModelId(id);
  const row = own === undefined ? undefined : TABLE[own];
  if (row) {
    const capabilities: ModelCapabilities = {
      features: row.features,
      contextWindow: row.context,
      maxOutputTokens: row.maxOut,
      taskTypes: row.tasks,
      qualityScore: row.quality,
      ...(row.qualityByTask ? { qualityByTask: row.qualityByTask } : {}),
    };
    const pricing: ModelPricing = { inputPerMillion: row.price[0], outputPerMillion: row.price[1] };
    // DeepSeek-R1 reasons in its output but takes ordinary sampling parameters.
    return { capabilities, pricing, reasoning: false, structuredOutputs: false, known: true };
  }
  const lower = id.trim().toLowerCase();
  const publisher = lower.includes('/') ? lower.slice(0, lower.indexOf('/')) : 'openai';
  if (publisher === 'openai' && resolveOpenAIModelId(lower) !== undefined)
    return getOpenAIModelSpec(lower);
  // OpenAI ids the table does not know still follow their family's rules (gpt-5.x reasons).
  if (publisher === 'openai') return getOpenAIModelSpec(lower);
  return {
    capabilities: {
      features: /embed/.test(lower) ? ['embeddings'] : CHAT,
      contextWindow: 8_192,
      maxOutputTokens: 4_096,
      taskTypes: [],
      qualityScore: 0.5,
    },
    pricing: { inputPerMillion: 0, outputPerMillion: 0 },
    reasoning: false,
    structuredOutputs: false,
    known: false,
  };
}

/** Capabilities of a GitHub Models id or Foundry deployment (conservative defaults for unknown ids). */
export function getAzureCapabilities(id: AzureModelId): ModelCapabilities {
  return getAzureModelSpec(id).capabilities;
}

/** Prices in USD of a GitHub Models id or Foundry deployment (zero for unknown ids). */
export function getAzurePricing(id: AzureModelId): ModelPricing {
  return getAzureModelSpec(id).pricing;
}

/** The non-OpenAI catalogue ids the table knows (OpenAI ones come from @orchestrator/openai). */
export const KNOWN_AZURE_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(TABLE));
