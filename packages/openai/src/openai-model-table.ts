import { type Capability, type ModelPricing, TASK_TYPES, type TaskType } from '@orchestrator/core';

/** One row of the model table. */
export interface OpenAIModelRow {
  readonly features: readonly Capability[];
  readonly context: number;
  readonly maxOut: number;
  readonly tasks: readonly TaskType[];
  readonly quality: number;
  readonly tps?: number;
  readonly ttftMs?: number;
  readonly pricing: ModelPricing;
  readonly reasoning?: boolean;
  readonly structured?: boolean;
}

const CHAT: readonly Capability[] = [
  'text_generation',
  'chat',
  'code_generation',
  'streaming',
  'tool_calling',
  'json_mode',
];
const VISION: readonly Capability[] = [...CHAT, 'vision'];
const REASONING: readonly Capability[] = [...VISION, 'reasoning'];
const ALL: readonly TaskType[] = TASK_TYPES;
const LIGHT: readonly TaskType[] = [
  'code_completion',
  'documentation',
  'explanation',
  'testing',
  'general',
];

interface Flags {
  readonly reasoning?: true;
  readonly structured?: true;
}
/** Structured Outputs (json_schema). */
const S: Flags = { structured: true };
/** A reasoning model with Structured Outputs. */
const RS: Flags = { reasoning: true, structured: true };

/** Prices are [input, cached input, output] in USD per million tokens. */
function chat(
  features: readonly Capability[],
  context: number,
  maxOut: number,
  tasks: readonly TaskType[],
  quality: number,
  [input, cached, output]: readonly [number, number | undefined, number],
  [tps, ttftMs]: readonly [number, number],
  flags: Flags = {},
): OpenAIModelRow {
  const pricing: ModelPricing = {
    inputPerMillion: input,
    outputPerMillion: output,
    ...(cached === undefined ? {} : { cachedInputPerMillion: cached }),
  };
  return { features, context, maxOut, tasks, quality, tps, ttftMs, pricing, ...flags };
}

function media(
  features: readonly Capability[],
  context: number,
  maxOut: number,
  quality: number,
  pricing: Partial<ModelPricing>,
): OpenAIModelRow {
  const full = { inputPerMillion: 0, outputPerMillion: 0, ...pricing };
  return { features, context, maxOut, tasks: [], quality, pricing: full };
}

const gpt5 = (quality: number, price: readonly [number, number, number], tps: number) =>
  chat(REASONING, 400_000, 128_000, ALL, quality, price, [tps, 3_000], RS);

/**
 * Context and output limits and standard-tier prices from OpenAI's model
 * pages. Quality, speed and first-token priors are rough: they only seed the
 * selector until live metrics exist.
 */
export const OPENAI_MODEL_TABLE: Readonly<Record<string, OpenAIModelRow>> = {
  'gpt-5.2': gpt5(0.94, [1.75, 0.175, 14], 55),
  'gpt-5.1': gpt5(0.93, [1.25, 0.125, 10], 55),
  'gpt-5': gpt5(0.92, [1.25, 0.125, 10], 55),
  'gpt-5-mini': gpt5(0.85, [0.25, 0.025, 2], 70),
  'gpt-5-nano': { ...gpt5(0.72, [0.05, 0.005, 0.4], 110), tasks: LIGHT },
  'gpt-5-chat-latest': chat(VISION, 128_000, 16_384, ALL, 0.86, [1.25, 0.125, 10], [70, 600], S),
  'gpt-4.1': chat(VISION, 1_047_576, 32_768, ALL, 0.86, [2, 0.5, 8], [75, 500], S),
  'gpt-4.1-mini': chat(VISION, 1_047_576, 32_768, ALL, 0.79, [0.4, 0.1, 1.6], [90, 400], S),
  'gpt-4.1-nano': chat(VISION, 1_047_576, 32_768, LIGHT, 0.66, [0.1, 0.025, 0.4], [120, 300], S),
  'gpt-4o': chat(VISION, 128_000, 16_384, ALL, 0.84, [2.5, 1.25, 10], [80, 450], S),
  'gpt-4o-mini': chat(VISION, 128_000, 16_384, LIGHT, 0.72, [0.15, 0.075, 0.6], [85, 350], S),
  'chatgpt-4o-latest': chat(
    ['text_generation', 'chat', 'code_generation', 'streaming', 'vision'],
    128_000,
    16_384,
    ALL,
    0.84,
    [5, undefined, 15],
    [80, 450],
  ),
  o3: chat(REASONING, 200_000, 100_000, ALL, 0.91, [2, 0.5, 8], [45, 6_000], RS),
  'o3-pro': chat(REASONING, 200_000, 100_000, ALL, 0.93, [20, undefined, 80], [20, 30_000], RS),
  'o3-mini': chat(
    [...CHAT, 'reasoning'],
    200_000,
    100_000,
    ALL,
    0.82,
    [1.1, 0.55, 4.4],
    [90, 3_000],
    RS,
  ),
  'o4-mini': chat(REASONING, 200_000, 100_000, ALL, 0.87, [1.1, 0.275, 4.4], [80, 3_500], RS),
  o1: chat(REASONING, 200_000, 100_000, ALL, 0.87, [15, 7.5, 60], [40, 8_000], RS),
  'o1-mini': chat(
    ['text_generation', 'chat', 'code_generation', 'streaming', 'reasoning'],
    128_000,
    65_536,
    ALL,
    0.78,
    [1.1, 0.55, 4.4],
    [70, 3_000],
    { reasoning: true },
  ),
  'gpt-4-turbo': chat(VISION, 128_000, 4_096, ALL, 0.78, [10, undefined, 30], [35, 700]),
  'gpt-4': chat(
    ['text_generation', 'chat', 'code_generation', 'streaming', 'tool_calling'],
    8_192,
    8_192,
    ALL,
    0.74,
    [30, undefined, 60],
    [25, 800],
  ),
  'gpt-3.5-turbo': chat(CHAT, 16_385, 4_096, LIGHT, 0.55, [0.5, undefined, 1.5], [100, 300]),
  'text-embedding-3-small': media(['embeddings'], 8_191, 1, 0.7, { inputPerMillion: 0.02 }),
  'text-embedding-3-large': media(['embeddings'], 8_191, 1, 0.8, { inputPerMillion: 0.13 }),
  'text-embedding-ada-002': media(['embeddings'], 8_191, 1, 0.6, { inputPerMillion: 0.1 }),
  'dall-e-2': media(['image_generation'], 1_000, 1, 0.5, { perImage: 0.02 }),
  'dall-e-3': media(['image_generation'], 4_000, 1, 0.75, { perImage: 0.04 }),
  // Billed by tokens; the per-image figure is a medium-quality square image.
  'gpt-image-1': media(['image_generation'], 32_000, 1, 0.85, {
    inputPerMillion: 5,
    perImage: 0.042,
  }),
  'whisper-1': media(['audio_transcription', 'audio_translation'], 448, 448, 0.75, {
    perAudioMinute: 0.006,
  }),
  // Billed by tokens (audio in, text out); the per-minute figure is OpenAI's estimate.
  'gpt-4o-transcribe': media(['audio_transcription'], 16_000, 2_000, 0.85, {
    inputPerMillion: 6,
    outputPerMillion: 10,
    perAudioMinute: 0.006,
  }),
  'gpt-4o-mini-transcribe': media(['audio_transcription'], 16_000, 2_000, 0.78, {
    inputPerMillion: 3,
    outputPerMillion: 5,
    perAudioMinute: 0.003,
  }),
};
