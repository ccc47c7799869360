import type { Capability, ModelCapabilities, ModelPricing, TaskType } from '@orchestrator/core';

/** Model ids with a known profile; any other string is accepted with conservative defaults. */
export type AnthropicModelId =
  | 'claude-fable-5-2'
  | 'claude-fable-5-1'
  | 'claude-opus-5-5'
  | 'claude-sonnet-5-5'
  | 'claude-haiku-5-5'
  | 'claude-opus-5'
  | 'claude-sonnet-5'
  | 'claude-opus-4-8'
  | 'claude-opus-4-7'
  | 'claude-opus-4-6'
  | 'claude-sonnet-4-6'
  | 'claude-opus-4-5'
  | 'claude-opus-4-5-20251101'
  | 'claude-haiku-4-5'
  | 'claude-haiku-4-5-20251001'
  | 'claude-sonnet-4-5'
  | 'claude-sonnet-4-5-20250929'
  | 'claude-opus-4-1'
  | 'claude-opus-4-1-20250805'
  | 'claude-opus-4'
  | 'claude-opus-4-0'
  | 'claude-opus-4-20250514'
  | 'claude-sonnet-4'
  | 'claude-sonnet-4-0'
  | 'claude-sonnet-4-20250514'
  | 'claude-3-7-sonnet'
  | 'claude-3-7-sonnet-latest'
  | 'claude-3-7-sonnet-20250219'
  | 'claude-3-5-haiku'
  | 'claude-3-5-haiku-latest'
  | 'claude-3-5-haiku-20241022'
  | 'claude-3-haiku'
  | 'claude-3-haiku-20240307'
  | (string & {});

interface Profile {
  readonly context: number;
  readonly maxOutput: number;
  readonly input: number;
  readonly output: number;
  readonly quality: number;
  readonly reasoning: boolean;
  readonly vision: boolean;
  readonly tokensPerSecond: number;
  readonly firstTokenMs: number;
}

const CODE_TASKS: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'refactoring',
  'testing',
  'documentation',
  'explanation',
  'analysis',
  'general',
];
const LIGHT_TASKS: readonly TaskType[] = [
  'code_completion',
  'documentation',
  'explanation',
  'general',
];

const p = (
  context: number,
  maxOutput: number,
  input: number,
  output: number,
  quality: number,
  tokensPerSecond: number,
  firstTokenMs: number,
  reasoning = true,
  vision = true,
): Profile => ({
  context,
  maxOutput,
  input,
  output,
  quality,
  reasoning,
  vision,
  tokensPerSecond,
  firstTokenMs,
});

// Prices in USD per million tokens from Anthropic's published pricing (Nov 2026);
// context and output limits from its models overview. Cache reads cost 10% of
// input, cache writes 125% (5 minutes) or 200% (1 hour).
const PROFILES: Readonly<Record<string, Profile>> = {
  'claude-fable-5-2': p(1_000_000, 128_000, 8, 40, 0.97, 45, 1500),
  'claude-fable-5-1': p(1_000_000, 128_000, 10, 50, 0.96, 40, 1600),
  'claude-opus-5-5': p(1_000_000, 128_000, 4, 20, 0.95, 55, 1200),
  'claude-sonnet-5-5': p(1_000_000, 128_000, 2, 10, 0.92, 80, 800),
  'claude-haiku-5-5': p(1_000_000, 128_000, 0.1, 0.5, 0.82, 160, 400),
  'claude-opus-5': p(1_000_000, 128_000, 5, 25, 0.94, 50, 1300),
  'claude-sonnet-5': p(1_000_000, 128_000, 2, 10, 0.91, 80, 800),
  'claude-opus-4-8': p(1_000_000, 128_000, 5, 25, 0.93, 50, 1300),
  'claude-opus-4-7': p(1_000_000, 128_000, 5, 25, 0.92, 50, 1300),
  'claude-opus-4-6': p(200_000, 128_000, 5, 25, 0.91, 50, 1300),
  'claude-sonnet-4-6': p(200_000, 64_000, 3, 15, 0.89, 75, 900),
  'claude-opus-4-5': p(200_000, 64_000, 5, 25, 0.9, 50, 1300),
  'claude-haiku-4-5': p(200_000, 64_000, 1, 5, 0.8, 150, 450),
  'claude-sonnet-4-5': p(200_000, 64_000, 3, 15, 0.88, 75, 900),
  'claude-opus-4-1': p(200_000, 32_000, 15, 75, 0.87, 40, 1500),
  'claude-opus-4': p(200_000, 32_000, 15, 75, 0.85, 40, 1500),
  'claude-sonnet-4': p(200_000, 64_000, 3, 15, 0.84, 70, 1000),
  'claude-3-7-sonnet': p(200_000, 64_000, 3, 15, 0.8, 70, 1000),
  'claude-3-5-haiku': p(200_000, 8_192, 0.8, 4, 0.68, 120, 600, false, false),
  'claude-3-haiku': p(200_000, 4_096, 0.25, 1.25, 0.55, 150, 500, false, true),
};

// Conservative defaults for an id nobody described: a 200k window (every Claude
// model has at least that), a short output limit, and the highest published
// price, so budgets reserve too much rather than too little.
const UNKNOWN: Profile = p(200_000, 4_096, 15, 75, 0.5, 50, 1500, false, false);

/** The profile key of an id: dated snapshots, `-latest` and `-0` aliases share their model's. */
export function canonicalAnthropicModelId(id: string): string {
  const base = id.replace(/-(\d{8}|latest)$/, '');
  if (PROFILES[base]) return base;
  const zero = base.replace(/-0$/, '');
  return PROFILES[zero] ? zero : base;
}

function profileOf(id: string): { profile: Profile; known: boolean } {
  const profile = PROFILES[canonicalAnthropicModelId(id)];
  return profile ? { profile, known: true } : { profile: UNKNOWN, known: false };
}

/** What an Anthropic model can do, as a pure function of its id. */
export function getAnthropicCapabilities(id: AnthropicModelId): ModelCapabilities {
  const { profile, known } = profileOf(id);
  const features: Capability[] = [
    'text_generation',
    'chat',
    'streaming',
    'tool_calling',
    'json_mode',
  ];
  if (known) features.push('code_generation');
  if (profile.reasoning) features.push('reasoning');
  if (profile.vision) features.push('vision');
  return {
    features,
    contextWindow: profile.context,
    maxOutputTokens: profile.maxOutput,
    taskTypes: known ? (profile.quality >= 0.8 ? CODE_TASKS : LIGHT_TASKS) : [],
    qualityScore: profile.quality,
    tokensPerSecond: profile.tokensPerSecond,
    firstTokenLatencyMs: profile.firstTokenMs,
  };
}

/** Prices of an Anthropic model in USD per million tokens, as a pure function of its id. */
export function getAnthropicPricing(id: AnthropicModelId): ModelPricing {
  const { profile } = profileOf(id);
  return {
    inputPerMillion: profile.input,
    outputPerMillion: profile.output,
    cachedInputPerMillion: round(profile.input * 0.1),
  };
}

/** Whether the id has a known profile (rather than the conservative defaults). */
export function isKnownAnthropicModel(id: string): boolean {
  return profileOf(id).known;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
