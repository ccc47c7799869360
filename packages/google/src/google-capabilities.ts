import type { Capability, ModelCapabilities, ModelPricing, TaskType } from '@orchestrator/core';

/** Gemini model ids this package knows; any other id works with conservative defaults. */
export type GoogleModelId =
  | 'gemini-3.5-flash'
  | 'gemini-3.1-pro-preview'
  | 'gemini-3-pro-preview'
  | 'gemini-3-flash-preview'
  | 'gemini-3.1-flash-lite-preview'
  | 'gemini-2.5-pro'
  | 'gemini-2.5-flash'
  | 'gemini-2.5-flash-lite'
  | 'gemini-2.0-flash'
  | 'gemini-2.0-flash-lite'
  | 'gemini-1.5-pro'
  | 'gemini-1.5-flash'
  | 'gemini-embedding-001'
  | 'text-embedding-004'
  | (string & {});

/** What the adapter needs to know about a model beyond its capabilities and price. */
export interface GoogleModelTraits {
  readonly kind: 'chat' | 'embedding';
  /** Accepts `presencePenalty` / `frequencyPenalty` (Gemini 2.5 and later answer 400 to them). */
  readonly penalties: boolean;
  /** Gemini 3 requires function calls in history to carry their thought signature. */
  readonly thoughtSignatures: boolean;
  /** Vector size of an embedding model. */
  readonly embeddingDimensions?: number;
}

interface Entry extends GoogleModelTraits {
  readonly capabilities: ModelCapabilities;
  readonly pricing: ModelPricing;
}

const CHAT: readonly Capability[] = [
  'text_generation',
  'chat',
  'code_generation',
  'vision',
  'tool_calling',
  'json_mode',
  'streaming',
];
const THINKING: readonly Capability[] = [...CHAT, 'reasoning'];
const ALL_TASKS: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'documentation',
  'explanation',
  'refactoring',
  'testing',
  'analysis',
  'general',
];
const LIGHT_TASKS: readonly TaskType[] = [
  'code_completion',
  'documentation',
  'explanation',
  'general',
];
const MILLION = 1_048_576;

function chat(
  features: readonly Capability[],
  contextWindow: number,
  maxOutputTokens: number,
  qualityScore: number,
  pricing: ModelPricing,
  options: { light?: boolean; tps: number; ttftMs: number; generation: 1 | 2 | 2.5 | 3 },
): Entry {
  return {
    kind: 'chat',
    penalties: options.generation < 2.5,
    thoughtSignatures: options.generation >= 3,
    capabilities: {
      features,
      contextWindow,
      maxOutputTokens,
      taskTypes: options.light ? LIGHT_TASKS : ALL_TASKS,
      qualityScore,
      tokensPerSecond: options.tps,
      firstTokenLatencyMs: options.ttftMs,
    },
    pricing,
  };
}

function embedding(dimensions: number, inputPerMillion: number): Entry {
  return {
    kind: 'embedding',
    penalties: false,
    thoughtSignatures: false,
    embeddingDimensions: dimensions,
    capabilities: {
      features: ['embeddings'],
      contextWindow: 2_048,
      maxOutputTokens: 1,
      taskTypes: [],
      qualityScore: 0.7,
    },
    pricing: { inputPerMillion, outputPerMillion: 0 },
  };
}

/**
 * Prices in USD per million tokens (text input, the ≤200k-token tier, paid
 * tier of the Gemini Developer API); output includes thinking tokens. Gemini
 * 3 prices are those of the public listings at their launch.
 */
const TABLE: Readonly<Record<string, Entry>> = {
  'gemini-3.5-flash': chat(
    THINKING,
    MILLION,
    65_536,
    0.9,
    { inputPerMillion: 1.5, outputPerMillion: 9, cachedInputPerMillion: 0.15 },
    { tps: 200, ttftMs: 900, generation: 3 },
  ),
  'gemini-3.1-pro-preview': chat(
    THINKING,
    MILLION,
    65_536,
    0.93,
    { inputPerMillion: 2, outputPerMillion: 12, cachedInputPerMillion: 0.2 },
    { tps: 90, ttftMs: 2500, generation: 3 },
  ),
  'gemini-3-pro-preview': chat(
    THINKING,
    MILLION,
    65_536,
    0.91,
    { inputPerMillion: 2, outputPerMillion: 12, cachedInputPerMillion: 0.2 },
    { tps: 90, ttftMs: 2500, generation: 3 },
  ),
  'gemini-3-flash-preview': chat(
    THINKING,
    MILLION,
    65_536,
    0.86,
    { inputPerMillion: 0.5, outputPerMillion: 3, cachedInputPerMillion: 0.05 },
    { tps: 200, ttftMs: 800, generation: 3 },
  ),
  'gemini-3.1-flash-lite-preview': chat(
    THINKING,
    MILLION,
    65_536,
    0.76,
    { inputPerMillion: 0.25, outputPerMillion: 1.5, cachedInputPerMillion: 0.025 },
    { light: true, tps: 300, ttftMs: 400, generation: 3 },
  ),
  'gemini-2.5-pro': chat(
    THINKING,
    MILLION,
    65_536,
    0.88,
    { inputPerMillion: 1.25, outputPerMillion: 10, cachedInputPerMillion: 0.125 },
    { tps: 100, ttftMs: 2000, generation: 2.5 },
  ),
  'gemini-2.5-flash': chat(
    THINKING,
    MILLION,
    65_536,
    0.8,
    { inputPerMillion: 0.3, outputPerMillion: 2.5, cachedInputPerMillion: 0.03 },
    { tps: 220, ttftMs: 700, generation: 2.5 },
  ),
  'gemini-2.5-flash-lite': chat(
    THINKING,
    MILLION,
    65_536,
    0.7,
    { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.01 },
    { light: true, tps: 300, ttftMs: 400, generation: 2.5 },
  ),
  'gemini-2.0-flash': chat(
    CHAT,
    MILLION,
    8_192,
    0.72,
    { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025 },
    { tps: 200, ttftMs: 450, generation: 2 },
  ),
  'gemini-2.0-flash-lite': chat(
    CHAT,
    MILLION,
    8_192,
    0.65,
    { inputPerMillion: 0.075, outputPerMillion: 0.3 },
    { light: true, tps: 250, ttftMs: 350, generation: 2 },
  ),
  'gemini-1.5-pro': chat(
    CHAT,
    2_097_152,
    8_192,
    0.74,
    { inputPerMillion: 1.25, outputPerMillion: 5, cachedInputPerMillion: 0.3125 },
    { tps: 80, ttftMs: 900, generation: 1 },
  ),
  'gemini-1.5-flash': chat(
    CHAT,
    MILLION,
    8_192,
    0.64,
    { inputPerMillion: 0.075, outputPerMillion: 0.3, cachedInputPerMillion: 0.01875 },
    { light: true, tps: 180, ttftMs: 450, generation: 1 },
  ),
  'gemini-embedding-001': embedding(3_072, 0.15),
  'text-embedding-004': embedding(768, 0),
};

/**
 * Unknown chat ids: text and streaming only, a modest window, and the price
 * of the most expensive current tier, so budgets err on the safe side.
 */
const UNKNOWN_CHAT: Entry = {
  kind: 'chat',
  penalties: false,
  thoughtSignatures: false,
  capabilities: {
    features: ['text_generation', 'chat', 'streaming'],
    contextWindow: 32_768,
    maxOutputTokens: 8_192,
    taskTypes: [],
    qualityScore: 0.5,
  },
  pricing: { inputPerMillion: 2, outputPerMillion: 12 },
};
const UNKNOWN_EMBEDDING = embedding(768, 0.15);

/** Ids ordered longest first, so `gemini-2.5-flash-lite-…` is not taken for `gemini-2.5-flash`. */
const PREFIXES = Object.keys(TABLE).sort((a, b) => b.length - a.length);

function lookup(id: string): Entry {
  const bare = id.replace(/^models\//, '');
  const exact = TABLE[bare];
  if (exact) return exact;
  // Dated or numbered variants (`gemini-2.0-flash-001`, `gemini-2.5-flash-preview-05-20`) share
  // their family's traits; special-purpose variants (image, TTS, live audio) do not.
  if (!/-(image|tts|live|audio|native)/.test(bare)) {
    const prefix = PREFIXES.find((p) => bare.startsWith(`${p}-`));
    if (prefix) return TABLE[prefix]!;
  }
  if (bare.includes('gemini-3')) return { ...UNKNOWN_CHAT, thoughtSignatures: true };
  return bare.includes('embedding') ? UNKNOWN_EMBEDDING : UNKNOWN_CHAT;
}

/** Capabilities of a Gemini model id: a pure function of the id. */
export function getGoogleCapabilities(id: GoogleModelId): ModelCapabilities {
  return lookup(id).capabilities;
}

/** Prices of a Gemini model id, USD per million tokens. */
export function getGooglePricing(id: GoogleModelId): ModelPricing {
  return lookup(id).pricing;
}

/** The traits that change how requests to this model are built. */
export function getGoogleModelTraits(id: GoogleModelId): GoogleModelTraits {
  const { capabilities: _c, pricing: _p, ...traits } = lookup(id);
  return traits;
}

/** Whether the id is one this package describes (exactly or as a dated variant). */
export function isKnownGoogleModel(id: string): boolean {
  const entry = lookup(id);
  return (
    entry !== UNKNOWN_CHAT &&
    entry !== UNKNOWN_EMBEDDING &&
    entry.capabilities !== UNKNOWN_CHAT.capabilities
  );
}
