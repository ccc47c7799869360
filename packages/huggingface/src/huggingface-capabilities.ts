import type { Capability, ModelCapabilities, ModelPricing, TaskType } from '@orchestrator/core';

/** Model ids this package knows; any other Hub id works with conservative defaults. */
export type HuggingFaceModelId =
  | 'meta-llama/Llama-3.1-8B-Instruct'
  | 'meta-llama/Llama-3.1-70B-Instruct'
  | 'meta-llama/Llama-3.2-3B-Instruct'
  | 'meta-llama/Llama-3.2-11B-Vision-Instruct'
  | 'meta-llama/Llama-3.3-70B-Instruct'
  | 'Qwen/Qwen2.5-7B-Instruct'
  | 'Qwen/Qwen2.5-72B-Instruct'
  | 'Qwen/Qwen2.5-Coder-32B-Instruct'
  | 'Qwen/Qwen2.5-VL-7B-Instruct'
  | 'Qwen/QwQ-32B'
  | 'Qwen/Qwen3-32B'
  | 'mistralai/Mistral-7B-Instruct-v0.3'
  | 'mistralai/Mixtral-8x7B-Instruct-v0.1'
  | 'mistralai/Mistral-Nemo-Instruct-2407'
  | 'deepseek-ai/DeepSeek-R1'
  | 'deepseek-ai/DeepSeek-V3'
  | 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B'
  | 'google/gemma-2-9b-it'
  | 'google/gemma-2-27b-it'
  | 'microsoft/Phi-3.5-mini-instruct'
  | 'HuggingFaceH4/zephyr-7b-beta'
  | 'openai-community/gpt2'
  | 'bigcode/starcoder2-15b'
  | 'sentence-transformers/all-MiniLM-L6-v2'
  | 'sentence-transformers/all-mpnet-base-v2'
  | 'BAAI/bge-small-en-v1.5'
  | 'BAAI/bge-large-en-v1.5'
  | 'BAAI/bge-m3'
  | 'intfloat/multilingual-e5-large'
  | (string & {});

/** How a model is called: chat completion, plain text generation, or feature extraction. */
export type HuggingFaceTask = 'chat' | 'text-generation' | 'embeddings';

interface Entry {
  readonly task: HuggingFaceTask;
  readonly features: readonly Capability[];
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  readonly taskTypes: readonly TaskType[];
  readonly qualityScore: number;
  readonly tokensPerSecond?: number;
  /** USD per million input / output tokens (typical Inference Providers rates; providers differ). */
  readonly price: readonly [number, number];
}

const CHAT: readonly Capability[] = ['text_generation', 'chat', 'streaming'];
const TOOLS: readonly Capability[] = [...CHAT, 'tool_calling', 'json_mode'];
const CODE: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'refactoring',
  'testing',
  'explanation',
];
const GENERAL: readonly TaskType[] = ['general', 'explanation', 'documentation', 'analysis'];
const EMBED: readonly Capability[] = ['embeddings'];

const chat = (
  features: readonly Capability[],
  contextWindow: number,
  maxOutputTokens: number,
  taskTypes: readonly TaskType[],
  qualityScore: number,
  price: readonly [number, number],
  tokensPerSecond?: number,
): Entry => ({
  task: 'chat',
  features,
  contextWindow,
  maxOutputTokens,
  taskTypes,
  qualityScore,
  price,
  ...(tokensPerSecond === undefined ? {} : { tokensPerSecond }),
});
const embed = (contextWindow: number, qualityScore: number, price: number): Entry => ({
  task: 'embeddings',
  features: EMBED,
  contextWindow,
  maxOutputTokens: 1,
  taskTypes: [],
  qualityScore,
  price: [price, 0],
});

const TABLE: Readonly<Record<string, Entry>> = {
  'meta-llama/llama-3.1-8b-instruct': chat(TOOLS, 131_072, 8_192, GENERAL, 0.55, [0.1, 0.1], 150),
  'meta-llama/llama-3.1-70b-instruct': chat(
    TOOLS,
    131_072,
    8_192,
    [...GENERAL, ...CODE],
    0.72,
    [0.6, 0.8],
    60,
  ),
  'meta-llama/llama-3.2-3b-instruct': chat(TOOLS, 131_072, 8_192, GENERAL, 0.45, [0.05, 0.05], 200),
  'meta-llama/llama-3.2-11b-vision-instruct': chat(
    [...CHAT, 'vision'],
    131_072,
    8_192,
    GENERAL,
    0.55,
    [0.18, 0.18],
    100,
  ),
  'meta-llama/llama-3.3-70b-instruct': chat(
    TOOLS,
    131_072,
    8_192,
    [...GENERAL, ...CODE],
    0.76,
    [0.59, 0.79],
    60,
  ),
  'qwen/qwen2.5-7b-instruct': chat(TOOLS, 32_768, 8_192, GENERAL, 0.55, [0.1, 0.1], 150),
  'qwen/qwen2.5-72b-instruct': chat(
    TOOLS,
    32_768,
    8_192,
    [...GENERAL, ...CODE],
    0.78,
    [0.4, 0.4],
    50,
  ),
  'qwen/qwen2.5-coder-32b-instruct': chat(
    [...TOOLS, 'code_generation'],
    32_768,
    8_192,
    [...CODE, 'code_optimization'],
    0.76,
    [0.2, 0.2],
    70,
  ),
  'qwen/qwen2.5-vl-7b-instruct': chat(
    [...CHAT, 'vision'],
    32_768,
    8_192,
    GENERAL,
    0.55,
    [0.2, 0.2],
    100,
  ),
  'qwen/qwq-32b': chat(
    [...CHAT, 'reasoning'],
    131_072,
    32_768,
    [...GENERAL, ...CODE],
    0.78,
    [0.2, 0.6],
    50,
  ),
  'qwen/qwen3-32b': chat(
    [...TOOLS, 'reasoning'],
    40_960,
    16_384,
    [...GENERAL, ...CODE],
    0.8,
    [0.1, 0.3],
    60,
  ),
  'mistralai/mistral-7b-instruct-v0.3': chat(
    TOOLS,
    32_768,
    8_192,
    GENERAL,
    0.45,
    [0.06, 0.06],
    150,
  ),
  'mistralai/mixtral-8x7b-instruct-v0.1': chat(TOOLS, 32_768, 8_192, GENERAL, 0.55, [0.5, 0.5], 90),
  'mistralai/mistral-nemo-instruct-2407': chat(
    TOOLS,
    131_072,
    8_192,
    GENERAL,
    0.58,
    [0.15, 0.15],
    100,
  ),
  'deepseek-ai/deepseek-r1': chat(
    [...CHAT, 'reasoning', 'json_mode'],
    163_840,
    32_768,
    [...GENERAL, ...CODE, 'code_optimization'],
    0.9,
    [0.7, 2.5],
    30,
  ),
  'deepseek-ai/deepseek-v3': chat(
    [...TOOLS, 'code_generation'],
    131_072,
    16_384,
    [...GENERAL, ...CODE],
    0.86,
    [0.4, 1.3],
    40,
  ),
  'deepseek-ai/deepseek-r1-distill-qwen-32b': chat(
    [...CHAT, 'reasoning'],
    131_072,
    32_768,
    [...GENERAL, ...CODE],
    0.74,
    [0.3, 0.3],
    50,
  ),
  'google/gemma-2-9b-it': chat(CHAT, 8_192, 4_096, GENERAL, 0.55, [0.03, 0.06], 120),
  'google/gemma-2-27b-it': chat(CHAT, 8_192, 4_096, GENERAL, 0.65, [0.27, 0.27], 70),
  'microsoft/phi-3.5-mini-instruct': chat(CHAT, 131_072, 4_096, GENERAL, 0.45, [0.05, 0.05], 150),
  'huggingfaceh4/zephyr-7b-beta': chat(CHAT, 32_768, 4_096, GENERAL, 0.4, [0.05, 0.05], 150),
  'openai-community/gpt2': {
    ...chat(['text_generation', 'streaming'], 1_024, 1_024, [], 0.1, [0.01, 0.01], 200),
    task: 'text-generation',
  },
  'bigcode/starcoder2-15b': {
    ...chat(
      ['text_generation', 'code_generation', 'streaming'],
      16_384,
      4_096,
      ['code_completion'],
      0.5,
      [0.2, 0.2],
      80,
    ),
    task: 'text-generation',
  },
  'sentence-transformers/all-minilm-l6-v2': embed(256, 0.55, 0.01),
  'sentence-transformers/all-mpnet-base-v2': embed(384, 0.62, 0.01),
  'baai/bge-small-en-v1.5': embed(512, 0.62, 0.01),
  'baai/bge-large-en-v1.5': embed(512, 0.72, 0.02),
  'baai/bge-m3': embed(8_192, 0.75, 0.02),
  'intfloat/multilingual-e5-large': embed(512, 0.7, 0.02),
};

/** Conservative price for unknown ids: errs high so budgets are not underestimated. */
const UNKNOWN_PRICE: ModelPricing = Object.freeze({ inputPerMillion: 1, outputPerMillion: 3 });

/** The Hub id without a router suffix such as `:cerebras` or `:fastest`, lower-cased for lookup. */
function key(id: string): string {
  const colon = id.indexOf(':');
  return (colon === -1 ? id : id.slice(0, colon)).trim().toLowerCase();
}

function looksLikeEmbeddingModel(k: string): boolean {
  return /^sentence-transformers\/|\/(?:bge|e5|gte|multilingual-e5|nomic-embed|mxbai-embed)|embed/.test(
    k,
  );
}

/** True when the id is in this package's table (its capabilities are known, not guessed). */
export function isKnownHuggingFaceModel(id: HuggingFaceModelId): boolean {
  return key(id) in TABLE;
}

/** How the model is called by default: chat, text generation or embeddings. */
export function getHuggingFaceTask(id: HuggingFaceModelId): HuggingFaceTask {
  const k = key(id);
  return TABLE[k]?.task ?? (looksLikeEmbeddingModel(k) ? 'embeddings' : 'chat');
}

/** Capabilities of a Hub model id; unknown ids get conservative defaults. */
export function getHuggingFaceCapabilities(id: HuggingFaceModelId): ModelCapabilities {
  const entry = TABLE[key(id)];
  if (!entry) {
    return looksLikeEmbeddingModel(key(id))
      ? {
          features: EMBED,
          contextWindow: 512,
          maxOutputTokens: 1,
          taskTypes: [],
          qualityScore: 0.5,
        }
      : {
          features: CHAT,
          contextWindow: 8_192,
          maxOutputTokens: 2_048,
          taskTypes: [],
          qualityScore: 0.5,
        };
  }
  return {
    features: entry.features,
    contextWindow: entry.contextWindow,
    maxOutputTokens: entry.maxOutputTokens,
    taskTypes: entry.taskTypes,
    qualityScore: entry.qualityScore,
    ...(entry.tokensPerSecond === undefined ? {} : { tokensPerSecond: entry.tokensPerSecond }),
  };
}

/**
 * Price of a Hub model id in USD per million tokens. Inference Providers bill
 * at the chosen provider's rate, so these are typical figures, not quotes;
 * dedicated endpoints bill by the hour (pass your own `pricing` for them).
 */
export function getHuggingFacePricing(id: HuggingFaceModelId): ModelPricing {
  const entry = TABLE[key(id)];
  if (!entry) return UNKNOWN_PRICE;
  return { inputPerMillion: entry.price[0], outputPerMillion: entry.price[1] };
}
