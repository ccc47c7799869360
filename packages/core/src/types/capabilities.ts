/** What a model can do. Selection filters on these; adapters derive them from the model id. */
export const CAPABILITIES = [
  'text_generation',
  'chat',
  'code_generation',
  'reasoning',
  'vision',
  'embeddings',
  'tool_calling',
  'json_mode',
  'streaming',
  'image_generation',
  'audio_transcription',
  'audio_translation',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The kinds of work the router distinguishes. */
export const TASK_TYPES = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'documentation',
  'explanation',
  'refactoring',
  'testing',
  'analysis',
  'general',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export interface ModelCapabilities {
  /** The capabilities this model has. */
  readonly features: readonly Capability[];
  /** Context window in tokens (input + output). */
  readonly contextWindow: number;
  /** Largest completion the model will produce, in tokens. */
  readonly maxOutputTokens: number;
  /** Task types the model is suited to; empty means "general purpose only". */
  readonly taskTypes: readonly TaskType[];
  /** Prior quality in [0, 1], before any outcome was observed. */
  readonly qualityScore: number;
  /** Optional per-task prior quality in [0, 1]; falls back to `qualityScore`. */
  readonly qualityByTask?: Readonly<Partial<Record<TaskType, number>>>;
  /** Prior output speed in tokens per second, used until live metrics exist. */
  readonly tokensPerSecond?: number;
  /** Prior latency to first token in milliseconds, used until live metrics exist. */
  readonly firstTokenLatencyMs?: number;
}

/** Per-model operating limits. Every field is optional: absent means "no limit". */
export interface ModelConstraints {
  /** Most a single request may cost, in USD. */
  readonly maxCostPerRequest?: number;
  /** Requests per minute. */
  readonly rpm?: number;
  /** Tokens per minute (input + output). */
  readonly tpm?: number;
  /** Concurrent in-flight requests. */
  readonly maxConcurrency?: number;
  /** Timeout of one call, in milliseconds. */
  readonly timeoutMs?: number;
}

/** Prices in USD. Token prices are per million tokens. */
export interface ModelPricing {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  /** Price of input tokens served from the provider's prompt cache; defaults to the input price. */
  readonly cachedInputPerMillion?: number;
  /** Price of reasoning tokens when billed apart from output; defaults to the output price. */
  readonly reasoningPerMillion?: number;
  /** Flat fee per request, if the provider charges one. */
  readonly perRequest?: number;
  /** Price per generated image, for image models. */
  readonly perImage?: number;
  /** Price per minute of audio, for transcription models. */
  readonly perAudioMinute?: number;
}
