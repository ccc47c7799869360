import type { ModelCapabilities, ModelPricing } from '@orchestrator/core';
import { OPENAI_MODEL_TABLE as TABLE } from './openai-model-table.js';

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
    pricing: row.pricing,
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
