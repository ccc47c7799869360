import type { Capability, ModelCapabilities, ModelPricing, TaskType } from '@orchestrator/core';

/** Well-known Ollama library ids; any other tag works too (`(string & {})`). */
export type OllamaModelId =
  | 'llama3.1'
  | 'llama3.1:8b'
  | 'llama3.1:70b'
  | 'llama3.1:405b'
  | 'llama3.2'
  | 'llama3.2:1b'
  | 'llama3.2:3b'
  | 'llama3.2-vision'
  | 'llama3.3'
  | 'llama3.3:70b'
  | 'qwen2.5'
  | 'qwen2.5:7b'
  | 'qwen2.5:14b'
  | 'qwen2.5:32b'
  | 'qwen2.5:72b'
  | 'qwen2.5-coder'
  | 'qwen2.5-coder:7b'
  | 'qwen2.5-coder:14b'
  | 'qwen2.5-coder:32b'
  | 'qwen3'
  | 'qwen3:8b'
  | 'qwen3:14b'
  | 'qwen3:32b'
  | 'qwen3:30b'
  | 'mistral'
  | 'mistral:7b'
  | 'mixtral'
  | 'mixtral:8x7b'
  | 'gemma2'
  | 'gemma2:9b'
  | 'gemma2:27b'
  | 'gemma3'
  | 'gemma3:1b'
  | 'gemma3:4b'
  | 'gemma3:12b'
  | 'gemma3:27b'
  | 'phi3'
  | 'phi3:mini'
  | 'phi3:medium'
  | 'phi4'
  | 'deepseek-r1'
  | 'deepseek-r1:7b'
  | 'deepseek-r1:8b'
  | 'deepseek-r1:14b'
  | 'deepseek-r1:32b'
  | 'deepseek-r1:70b'
  | 'codellama'
  | 'codellama:7b'
  | 'codellama:13b'
  | 'codellama:34b'
  | 'llava'
  | 'llava:7b'
  | 'llava:13b'
  | 'gpt-oss'
  | 'gpt-oss:20b'
  | 'gpt-oss:120b'
  | 'nomic-embed-text'
  | 'mxbai-embed-large'
  | 'all-minilm'
  | (string & {});

interface FamilySpec {
  /** Context the model was trained for, in tokens. */
  readonly context: number;
  readonly extra: readonly Capability[];
  readonly tasks: readonly TaskType[];
  /** Prior quality of the family's default size. */
  readonly quality: number;
  /** Parameters (billions) of the family's default tag, to scale quality and speed by size. */
  readonly sizeB: number;
  readonly embedding?: boolean;
}

const GENERAL: readonly TaskType[] = ['general', 'explanation', 'documentation', 'analysis'];
const CODE: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'refactoring',
  'testing',
  'explanation',
];
const ALL: readonly TaskType[] = [...GENERAL, ...CODE.filter((t) => t !== 'explanation')];
const TOOLS: readonly Capability[] = ['tool_calling'];
const CODING_TOOLS: readonly Capability[] = ['code_generation', 'tool_calling'];

const FAMILIES: Readonly<Record<string, FamilySpec>> = {
  'llama3.1': { context: 131_072, extra: CODING_TOOLS, tasks: ALL, quality: 0.6, sizeB: 8 },
  'llama3.2': { context: 131_072, extra: TOOLS, tasks: GENERAL, quality: 0.48, sizeB: 3 },
  'llama3.2-vision': {
    context: 131_072,
    extra: ['vision'],
    tasks: GENERAL,
    quality: 0.55,
    sizeB: 11,
  },
  'llama3.3': { context: 131_072, extra: CODING_TOOLS, tasks: ALL, quality: 0.74, sizeB: 70 },
  'qwen2.5': { context: 32_768, extra: CODING_TOOLS, tasks: ALL, quality: 0.63, sizeB: 7 },
  'qwen2.5-coder': { context: 32_768, extra: CODING_TOOLS, tasks: CODE, quality: 0.68, sizeB: 7 },
  qwen3: {
    context: 40_960,
    extra: [...CODING_TOOLS, 'reasoning'],
    tasks: ALL,
    quality: 0.7,
    sizeB: 8,
  },
  mistral: { context: 32_768, extra: TOOLS, tasks: GENERAL, quality: 0.5, sizeB: 7 },
  mixtral: { context: 32_768, extra: CODING_TOOLS, tasks: ALL, quality: 0.6, sizeB: 47 },
  gemma2: { context: 8_192, extra: ['code_generation'], tasks: GENERAL, quality: 0.58, sizeB: 9 },
  gemma3: {
    context: 131_072,
    extra: ['code_generation', 'vision'],
    tasks: ALL,
    quality: 0.64,
    sizeB: 4,
  },
  phi3: { context: 4_096, extra: ['code_generation'], tasks: GENERAL, quality: 0.48, sizeB: 3.8 },
  phi4: {
    context: 16_384,
    extra: ['code_generation', 'reasoning'],
    tasks: ALL,
    quality: 0.68,
    sizeB: 14,
  },
  'deepseek-r1': {
    context: 131_072,
    extra: [...CODING_TOOLS, 'reasoning'],
    tasks: ALL,
    quality: 0.72,
    sizeB: 8,
  },
  codellama: { context: 16_384, extra: ['code_generation'], tasks: CODE, quality: 0.45, sizeB: 7 },
  llava: { context: 4_096, extra: ['vision'], tasks: GENERAL, quality: 0.45, sizeB: 7 },
  'gpt-oss': {
    context: 131_072,
    extra: [...CODING_TOOLS, 'reasoning'],
    tasks: ALL,
    quality: 0.78,
    sizeB: 20,
  },
  'nomic-embed-text': {
    context: 8_192,
    extra: [],
    tasks: [],
    quality: 0.6,
    sizeB: 0.137,
    embedding: true,
  },
  'mxbai-embed-large': {
    context: 512,
    extra: [],
    tasks: [],
    quality: 0.65,
    sizeB: 0.335,
    embedding: true,
  },
  'all-minilm': { context: 512, extra: [], tasks: [], quality: 0.5, sizeB: 0.023, embedding: true },
};

/** What every Ollama chat model can do: Ollama streams and constrains JSON for any model. */
const CHAT_BASE: readonly Capability[] = ['text_generation', 'chat', 'json_mode', 'streaming'];

/** Local models cost nothing per token. */
export const OLLAMA_PRICING: ModelPricing = Object.freeze({
  inputPerMillion: 0,
  outputPerMillion: 0,
});

/** Ollama's own default `num_ctx`: what a model is served with unless told otherwise. */
export const OLLAMA_DEFAULT_NUM_CTX = 4_096;

/** Splits `registry.ollama.ai/library/llama3.1:70b` into its family (`llama3.1`) and tag (`70b`). */
export function parseOllamaModelId(id: string): { family: string; tag: string } {
  const trimmed = id
    .trim()
    .toLowerCase()
    .replace(/^(?:registry\.ollama\.ai\/)?library\//, '');
  const colon = trimmed.lastIndexOf(':');
  const slash = trimmed.lastIndexOf('/');
  if (colon > slash) return { family: trimmed.slice(0, colon), tag: trimmed.slice(colon + 1) };
  return { family: trimmed, tag: 'latest' };
}

/** Parameter count in billions from a tag like `70b`, `8x7b`, `270m` or `4b-it-qat`. */
function sizeFromTag(tag: string): number | undefined {
  const m = /(?:^|[-_])(?:(\d+)x)?(\d+(?:\.\d+)?)([bm])(?=$|[-_])/.exec(tag);
  if (!m) return undefined;
  const n = Number.parseFloat(m[2]!) * (m[1] ? Number.parseInt(m[1], 10) : 1);
  return m[3] === 'm' ? n / 1000 : n;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Capabilities of an Ollama model from its id, a pure function. Tags such as
 * `llama3.1:70b` map to their family, scaled by size; unknown ids get
 * conservative defaults (chat only, 4k context). `contextWindow` is what the
 * model was trained for; `OllamaModel` caps it at the `num_ctx` it serves with.
 */
export function getOllamaCapabilities(id: OllamaModelId): ModelCapabilities {
  const { family, tag } = parseOllamaModelId(id);
  const spec = FAMILIES[family];
  if (!spec) {
    return {
      features: CHAT_BASE,
      contextWindow: OLLAMA_DEFAULT_NUM_CTX,
      maxOutputTokens: 2_048,
      taskTypes: [],
      qualityScore: 0.45,
    };
  }
  const sizeB = sizeFromTag(tag) ?? spec.sizeB;
  if (spec.embedding) {
    return {
      features: ['embeddings'],
      contextWindow: spec.context,
      maxOutputTokens: 1,
      taskTypes: [],
      qualityScore: spec.quality,
    };
  }
  let context = spec.context;
  let extra = spec.extra;
  if (family === 'phi3' && tag.includes('128k')) context = 131_072;
  if (family === 'gemma3' && sizeB < 2) {
    context = 32_768;
    extra = extra.filter((c) => c !== 'vision');
  }
  const quality = clamp(spec.quality + 0.05 * Math.log2(sizeB / spec.sizeB), 0.2, 0.92);
  return {
    features: [...CHAT_BASE, ...extra],
    contextWindow: context,
    maxOutputTokens: Math.min(context, 8_192),
    taskTypes: spec.tasks,
    qualityScore: Math.round(quality * 1000) / 1000,
    // Priors for a local GPU; live metrics replace them after the first calls.
    tokensPerSecond: Math.round(clamp(280 / sizeB, 3, 200)),
    firstTokenLatencyMs: Math.round(250 + 15 * sizeB),
  };
}

/** Prices of an Ollama model: zero, whatever the id (local inference). */
export function getOllamaPricing(_id: OllamaModelId): ModelPricing {
  return OLLAMA_PRICING;
}
