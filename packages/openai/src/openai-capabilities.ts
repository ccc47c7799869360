import {
  type Capability,
  type ModelCapabilities,
  type ModelPricing,
  TASK_TYPES,
  type TaskType,
} from '@orchestrator/core';

export type OpenAIChatModelId =
  | 'gpt-5.2'
  | 'gpt-5.1'
  | 'gpt-5'
  | 'gpt-5-mini'
  | 'gpt-5-nano'
  | 'gpt-5-chat-latest'
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'gpt-4.1-nano'
  | 'gpt-4o'
  | 'gpt-4o-mini'
  | 'chatgpt-4o-latest'
  | 'o3'
  | 'o3-pro'
  | 'o3-mini'
  | 'o4-mini'
  | 'o1'
  | 'o1-mini'
  | 'gpt-4-turbo'
  | 'gpt-4'
  | 'gpt-3.5-turbo';
export type OpenAIEmbeddingModelId =
  | 'text-embedding-3-small'
  | 'text-embedding-3-large'
  | 'text-embedding-ada-002';
export type OpenAIImageModelId = 'dall-e-2' | 'dall-e-3' | 'gpt-image-1';
export type OpenAIAudioModelId = 'whisper-1' | 'gpt-4o-transcribe' | 'gpt-4o-mini-transcribe';
/** Well-known OpenAI model ids; any other id is accepted too (with conservative defaults). */
export type OpenAIModelId =
  | OpenAIChatModelId
  | OpenAIEmbeddingModelId
  | OpenAIImageModelId
  | OpenAIAudioModelId
  | (string & {});

/** What the adapter knows about one model id beyond the core capabilities. */
export interface OpenAIModelSpec {
  readonly capabilities: ModelCapabilities;
  readonly pricing: ModelPricing;
  /** o-series and gpt-5 reasoning models: `max_completion_tokens`, no sampling parameters, `reasoning_effort`. */
  readonly reasoning: boolean;
  /** Takes `response_format: json_schema` (Structured Outputs), not only `json_object`. */
  readonly structuredOutputs: boolean;
  /** True when the id (or its dated snapshot) is in the table; false for defaults. */
  readonly known: boolean;
}

const CHAT: readonly Capability[] = [
  'text_generation',
  'chat',
  'code_generation',
  'streaming',
  'tool_calling',
  'json_mode',
];
const VISION_CHAT: readonly Capability[] = [...CHAT, 'vision'];
const REASONING_VISION: readonly Capability[] = [...VISION_CHAT, 'reasoning'];
const ALL_TASKS: readonly TaskType[] = TASK_TYPES;
const LIGHT_TASKS: readonly TaskType[] = [
  'code_completion',
  'documentation',
  'explanation',
  'testing',
  'general',
];

interface Row {
  readonly features: readonly Capability[];
  readonly context: number;
  readonly maxOut: number;
  readonly tasks: readonly TaskType[];
  readonly quality: number;
  readonly tps?: number;
  readonly ttftMs?: number;
  /** Input, cached input and output USD per million tokens. */
  readonly price: readonly [number, number | undefined, number] | ModelPricing;
  readonly reasoning?: boolean;
  readonly structured?: boolean;
}

const gpt5 = (quality: number, tps: number, price: Row['price'], tasks = ALL_TASKS): Row => ({
  features: REASONING_VISION,
  context: 400_000,
  maxOut: 128_000,
  tasks,
  quality,
  tps,
  ttftMs: 3_000,
  price,
  reasoning: true,
  structured: true,
});

// Prices in USD per million tokens (standard tier), context and output limits
// from OpenAI's model pages. Quality priors are rough and only seed the selector.
const TABLE: Readonly<Record<string, Row>> = {
  'gpt-5.2': gpt5(0.94, 55, [1.75, 0.175, 14]),
  'gpt-5.1': gpt5(0.93, 55, [1.25, 0.125, 10]),
  'gpt-5': gpt5(0.92, 55, [1.25, 0.125, 10]),
  'gpt-5-mini': gpt5(0.85, 70, [0.25, 0.025, 2]),
  'gpt-5-nano': gpt5(0.72, 110, [0.05, 0.005, 0.4], LIGHT_TASKS),
  'gpt-5-chat-latest': {
    features: VISION_CHAT,
    context: 128_000,
    maxOut: 16_384,
    tasks: ALL_TASKS,
    quality: 0.86,
    tps: 70,
    ttftMs: 600,
    price: [1.25, 0.125, 10],
    structured: true,
  },
  'gpt-4.1': {
    features: VISION_CHAT,
    context: 1_047_576,
    maxOut: 32_768,
    tasks: ALL_TASKS,
    quality: 0.86,
    tps: 75,
    ttftMs: 500,
    price: [2, 0.5, 8],
    structured: true,
  },
  'gpt-4.1-mini': {
    features: VISION_CHAT,
    context: 1_047_576,
    maxOut: 32_768,
    tasks: ALL_TASKS,
    quality: 0.79,
    tps: 90,
    ttftMs: 400,
    price: [0.4, 0.1, 1.6],
    structured: true,
  },
  'gpt-4.1-nano': {
    features: VISION_CHAT,
    context: 1_047_576,
    maxOut: 32_768,
    tasks: LIGHT_TASKS,
    quality: 0.66,
    tps: 120,
    ttftMs: 300,
    price: [0.1, 0.025, 0.4],
    structured: true,
  },
  'gpt-4o': {
    features: VISION_CHAT,
    context: 128_000,
    maxOut: 16_384,
    tasks: ALL_TASKS,
    quality: 0.84,
    tps: 80,
    ttftMs: 450,
    price: [2.5, 1.25, 10],
    structured: true,
  },
  'gpt-4o-mini': {
    features: VISION_CHAT,
    context: 128_000,
    maxOut: 16_384,
    tasks: LIGHT_TASKS,
    quality: 0.72,
    tps: 85,
    ttftMs: 350,
    price: [0.15, 0.075, 0.6],
    structured: true,
  },
  'chatgpt-4o-latest': {
    features: ['text_generation', 'chat', 'code_generation', 'streaming', 'vision'],
    context: 128_000,
    maxOut: 16_384,
    tasks: ALL_TASKS,
    quality: 0.84,
    tps: 80,
    ttftMs: 450,
    price: [5, undefined, 15],
  },
  o3: {
    features: REASONING_VISION,
    context: 200_000,
    maxOut: 100_000,
    tasks: ALL_TASKS,
    quality: 0.91,
    tps: 45,
    ttftMs: 6_000,
    price: [2, 0.5, 8],
    reasoning: true,
    structured: true,
  },
  'o3-pro': {
    features: REASONING_VISION,
    context: 200_000,
    maxOut: 100_000,
    tasks: ALL_TASKS,
    quality: 0.93,
    tps: 20,
    ttftMs: 30_000,
    price: [20, undefined, 80],
    reasoning: true,
    structured: true,
  },
  'o3-mini': {
    features: [...CHAT, 'reasoning'],
    context: 200_000,
    maxOut: 100_000,
    tasks: ALL_TASKS,
    quality: 0.82,
    tps: 90,
    ttftMs: 3_000,
    price: [1.1, 0.55, 4.4],
    reasoning: true,
    structured: true,
  },
  'o4-mini': {
    features: REASONING_VISION,
    context: 200_000,
    maxOut: 100_000,
    tasks: ALL_TASKS,
    quality: 0.87,
    tps: 80,
    ttftMs: 3_500,
    price: [1.1, 0.275, 4.4],
    reasoning: true,
    structured: true,
  },
  o1: {
    features: REASONING_VISION,
    context: 200_000,
    maxOut: 100_000,
    tasks: ALL_TASKS,
    quality: 0.87,
    tps: 40,
    ttftMs: 8_000,
    price: [15, 7.5, 60],
    reasoning: true,
    structured: true,
  },
  'o1-mini': {
    features: ['text_generation', 'chat', 'code_generation', 'streaming', 'reasoning'],
    context: 128_000,
    maxOut: 65_536,
    tasks: ALL_TASKS,
    quality: 0.78,
    tps: 70,
    ttftMs: 3_000,
    price: [1.1, 0.55, 4.4],
    reasoning: true,
  },
  'gpt-4-turbo': {
    features: VISION_CHAT,
    context: 128_000,
    maxOut: 4_096,
    tasks: ALL_TASKS,
    quality: 0.78,
    tps: 35,
    ttftMs: 700,
    price: [10, undefined, 30],
  },
  'gpt-4': {
    features: ['text_generation', 'chat', 'code_generation', 'streaming', 'tool_calling'],
    context: 8_192,
    maxOut: 8_192,
    tasks: ALL_TASKS,
    quality: 0.74,
    tps: 25,
    ttftMs: 800,
    price: [30, undefined, 60],
  },
  'gpt-3.5-turbo': {
    features: CHAT,
    context: 16_385,
    maxOut: 4_096,
    tasks: LIGHT_TASKS,
    quality: 0.55,
    tps: 100,
    ttftMs: 300,
    price: [0.5, undefined, 1.5],
  },
  'text-embedding-3-small': {
    features: ['embeddings'],
    context: 8_191,
    maxOut: 1,
    tasks: [],
    quality: 0.7,
    price: [0.02, undefined, 0],
  },
  'text-embedding-3-large': {
    features: ['embeddings'],
    context: 8_191,
    maxOut: 1,
    tasks: [],
    quality: 0.8,
    price: [0.13, undefined, 0],
  },
  'text-embedding-ada-002': {
    features: ['embeddings'],
    context: 8_191,
    maxOut: 1,
    tasks: [],
    quality: 0.6,
    price: [0.1, undefined, 0],
  },
  'dall-e-2': {
    features: ['image_generation'],
    context: 1_000,
    maxOut: 1,
    tasks: [],
    quality: 0.5,
    price: { inputPerMillion: 0, outputPerMillion: 0, perImage: 0.02 },
  },
  'dall-e-3': {
    features: ['image_generation'],
    context: 4_000,
    maxOut: 1,
    tasks: [],
    quality: 0.75,
    price: { inputPerMillion: 0, outputPerMillion: 0, perImage: 0.04 },
  },
  'gpt-image-1': {
    features: ['image_generation'],
    context: 32_000,
    maxOut: 1,
    tasks: [],
    quality: 0.85,
    price: { inputPerMillion: 5, outputPerMillion: 0, perImage: 0.042 },
  },
  'whisper-1': {
    features: ['audio_transcription', 'audio_translation'],
    context: 448,
    maxOut: 448,
    tasks: [],
    quality: 0.75,
    price: { inputPerMillion: 0, outputPerMillion: 0, perAudioMinute: 0.006 },
  },
  // Billed by tokens (audio in, text out); the per-minute figure is OpenAI's estimate.
  'gpt-4o-transcribe': {
    features: ['audio_transcription'],
    context: 16_000,
    maxOut: 2_000,
    tasks: [],
    quality: 0.85,
    price: { inputPerMillion: 6, outputPerMillion: 10, perAudioMinute: 0.006 },
  },
  'gpt-4o-mini-transcribe': {
    features: ['audio_transcription'],
    context: 16_000,
    maxOut: 2_000,
    tasks: [],
    quality: 0.78,
    price: { inputPerMillion: 3, outputPerMillion: 5, perAudioMinute: 0.003 },
  },
};

/** Known ids, longest first, so `gpt-4o-mini-2024-07-18` resolves to `gpt-4o-mini`, not `gpt-4o`. */
const KNOWN_BY_LENGTH = Object.keys(TABLE).sort((a, b) => b.length - a.length);

/**
 * The table entry an id resolves to: the id itself, a dated snapshot of a
 * known id (`gpt-4o-2024-08-06`, `gpt-4-0613`), a fine-tune of one
 * (`ft:gpt-4o-mini:org::id`), or a publisher-prefixed id (`openai/gpt-4o`).
 */
export function resolveOpenAIModelId(id: string): string | undefined {
  let base = id.trim().toLowerCase();
  if (base.startsWith('ft:')) base = base.slice(3).split(':')[0] ?? base;
  base = base.slice(base.lastIndexOf('/') + 1);
  if (TABLE[base]) return base;
  return KNOWN_BY_LENGTH.find(
    (known) =>
      base.startsWith(`${known}-`) &&
      /^-(?:\d{4}|\d{4}-\d{2}-\d{2}|preview)(?:-|$)/.test(base.slice(known.length)),
  );
}

/** Reasoning models by family, known or not: o1, o3, o4…, gpt-5 and later (not the `-chat` variants). */
export function isOpenAIReasoningModel(id: string): boolean {
  const resolved = resolveOpenAIModelId(id);
  if (resolved) return TABLE[resolved]!.reasoning === true;
  const base = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
  return (
    /^o\d(?:-|$)/.test(base) ||
    (/^gpt-(?:[5-9]|\d{2,})(?:[.-]|$)/.test(base) && !base.includes('chat'))
  );
}

const UNKNOWN_CHAT: ModelCapabilities = {
  features: ['text_generation', 'chat', 'streaming'],
  contextWindow: 8_192,
  maxOutputTokens: 4_096,
  taskTypes: [],
  qualityScore: 0.5,
};

function toPricing(price: Row['price']): ModelPricing {
  if (!Array.isArray(price)) return price as ModelPricing;
  const [input, cached, output] = price as readonly [number, number | undefined, number];
  return {
    inputPerMillion: input,
    outputPerMillion: output,
    ...(cached === undefined ? {} : { cachedInputPerMillion: cached }),
  };
}

/**
 * Everything the adapter knows about a model id. A pure function of the id:
 * unknown ids get conservative chat-only capabilities (plus `reasoning` or
 * `embeddings` when the id's family says so) and zero prices — set `pricing`
 * in the model's settings for them.
 */
export function getOpenAIModelSpec(id: OpenAIModelId): OpenAIModelSpec {
  const resolved = resolveOpenAIModelId(id);
  const row = resolved === undefined ? undefined : TABLE[resolved];
  if (!row) {
    const reasoning = isOpenAIReasoningModel(id);
    const embedding = /embed/i.test(id);
    return {
      capabilities: {
        ...UNKNOWN_CHAT,
        features: embedding
          ? ['embeddings']
          : reasoning
            ? [...UNKNOWN_CHAT.features, 'reasoning']
            : UNKNOWN_CHAT.features,
      },
      pricing: { inputPerMillion: 0, outputPerMillion: 0 },
      reasoning,
      structuredOutputs: false,
      known: false,
    };
  }
  return {
    capabilities: {
      features: row.features,
      contextWindow: row.context,
      maxOutputTokens: row.maxOut,
      taskTypes: row.tasks,
      qualityScore: row.quality,
      ...(row.tps === undefined ? {} : { tokensPerSecond: row.tps }),
      ...(row.ttftMs === undefined ? {} : { firstTokenLatencyMs: row.ttftMs }),
    },
    pricing: toPricing(row.price),
    reasoning: row.reasoning === true,
    structuredOutputs: row.structured === true,
    known: true,
  };
}

/** Capabilities of an OpenAI model id (conservative defaults for unknown ids). */
export function getOpenAICapabilities(id: OpenAIModelId): ModelCapabilities {
  return getOpenAIModelSpec(id).capabilities;
}

/** Prices of an OpenAI model id in USD (zero for unknown ids). */
export function getOpenAIPricing(id: OpenAIModelId): ModelPricing {
  return getOpenAIModelSpec(id).pricing;
}

/** The ids the table knows. */
export const KNOWN_OPENAI_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(TABLE));
