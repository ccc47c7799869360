import type { TaskType } from '@orchestrator/core';
import type { ModelProfile } from '@orchestrator/testing';

/** The providers the demo fleet spans; each is one fake server when simulated. */
export const FLEET_PROVIDERS = [
  'github',
  'openai',
  'anthropic',
  'google',
  'ollama',
  'huggingface',
] as const;
export type FleetProvider = (typeof FLEET_PROVIDERS)[number];

/** One model of the demo fleet: which adapter, which id, and how its simulation behaves. */
export interface FleetModelSpec {
  /** Registry name: what requests pin and the dashboard shows. */
  readonly name: string;
  readonly provider: FleetProvider;
  /** The provider's own model id. */
  readonly modelId: string;
  /** Display label. */
  readonly label: string;
  /** How the fake server answers for this model (latency, speed, failures, answer quality). */
  readonly profile: Required<ModelProfile>;
  /**
   * Per-task prior quality. Figures follow public leaderboards (HumanEval /
   * LiveCodeBench for code, MMLU-Pro / Arena for the rest), rounded: a prior
   * for routing until outcomes are observed, not a benchmark claim.
   */
  readonly qualityByTask: Readonly<Partial<Record<TaskType, number>>>;
}

type Profile = Required<ModelProfile>;

function profile(
  latencyMs: number,
  tokensPerSecond: number,
  quality: number,
  failureRate: number,
  rateLimitRate: number,
  answerTokens = 90,
): Profile {
  return {
    latencyMs,
    latencyJitter: 0.35,
    tokensPerSecond,
    failureRate,
    rateLimitRate,
    quality,
    answerTokens,
  };
}

function tasks(
  code: number,
  reasoning: number,
  writing: number,
): Partial<Record<TaskType, number>> {
  return {
    code_generation: code,
    code_completion: code,
    code_optimization: (code + reasoning) / 2,
    refactoring: code,
    testing: code,
    analysis: reasoning,
    explanation: writing,
    documentation: writing,
    general: writing,
  };
}

// Latency is time to first token and speed the streamed output rate, as
// typically measured on each service (Artificial Analysis-style medians);
// GitHub Models' free tier is rate-limited harder than the paid APIs, hence
// the higher 429 rates there. Prices are not set here: every adapter's own
// table already holds the provider's list price per million tokens.
export const FLEET: readonly FleetModelSpec[] = [
  // GitHub Models (through AzureModel against the GitHub Models protocol).
  {
    name: 'mistral-ai/codestral-2501',
    provider: 'github',
    modelId: 'mistral-ai/codestral-2501',
    label: 'Codestral 2501',
    profile: profile(260, 140, 0.8, 0.01, 0.03, 110),
    qualityByTask: { ...tasks(0.84, 0.66, 0.6), code_completion: 0.88 },
  },
  {
    name: 'openai/gpt-4o',
    provider: 'github',
    modelId: 'openai/gpt-4o',
    label: 'GPT-4o',
    profile: profile(480, 85, 0.86, 0.01, 0.04),
    qualityByTask: tasks(0.84, 0.83, 0.87),
  },
  {
    name: 'openai/gpt-4o-mini',
    provider: 'github',
    modelId: 'openai/gpt-4o-mini',
    label: 'GPT-4o mini',
    profile: profile(350, 95, 0.74, 0.01, 0.03),
    qualityByTask: tasks(0.74, 0.7, 0.76),
  },
  {
    name: 'cohere/cohere-command-r-08-2024',
    provider: 'github',
    modelId: 'cohere/cohere-command-r-08-2024',
    label: 'Cohere Command R',
    profile: profile(320, 75, 0.64, 0.015, 0.03),
    qualityByTask: tasks(0.52, 0.62, 0.7),
  },
  {
    name: 'cohere/cohere-command-r-plus-08-2024',
    provider: 'github',
    modelId: 'cohere/cohere-command-r-plus-08-2024',
    label: 'Cohere Command R+',
    profile: profile(520, 55, 0.74, 0.015, 0.04),
    qualityByTask: tasks(0.62, 0.74, 0.8),
  },
  {
    name: 'meta/meta-llama-3.1-70b-instruct',
    provider: 'github',
    modelId: 'meta/meta-llama-3.1-70b-instruct',
    label: 'Llama 3.1 70B',
    profile: profile(420, 60, 0.76, 0.015, 0.04),
    qualityByTask: tasks(0.74, 0.74, 0.77),
  },
  {
    name: 'meta/meta-llama-3.1-405b-instruct',
    provider: 'github',
    modelId: 'meta/meta-llama-3.1-405b-instruct',
    label: 'Llama 3.1 405B',
    profile: profile(850, 28, 0.83, 0.02, 0.05),
    qualityByTask: tasks(0.8, 0.82, 0.83),
  },
  {
    name: 'mistral-ai/mistral-large-2411',
    provider: 'github',
    modelId: 'mistral-ai/mistral-large-2411',
    label: 'Mistral Large',
    profile: profile(480, 45, 0.82, 0.015, 0.04),
    qualityByTask: tasks(0.8, 0.8, 0.82),
  },
  {
    name: 'mistral-ai/mistral-nemo',
    provider: 'github',
    modelId: 'mistral-ai/mistral-nemo',
    label: 'Mistral Nemo',
    profile: profile(240, 120, 0.6, 0.01, 0.03, 70),
    qualityByTask: tasks(0.56, 0.56, 0.64),
  },
  // The general set, each through its own provider's adapter and SDK.
  {
    name: 'o3-mini',
    provider: 'openai',
    modelId: 'o3-mini',
    label: 'o3-mini',
    profile: profile(2_400, 150, 0.88, 0.01, 0.01, 120),
    qualityByTask: { ...tasks(0.88, 0.92, 0.78), code_optimization: 0.9 },
  },
  {
    name: 'claude-sonnet-4',
    provider: 'anthropic',
    modelId: 'claude-sonnet-4-20250514',
    label: 'Claude Sonnet 4',
    profile: profile(900, 65, 0.9, 0.01, 0.01, 120),
    qualityByTask: { ...tasks(0.92, 0.88, 0.9), refactoring: 0.93 },
  },
  {
    name: 'gemini-2.5-pro',
    provider: 'google',
    modelId: 'gemini-2.5-pro',
    label: 'Gemini 2.5 Pro',
    profile: profile(1_600, 140, 0.89, 0.01, 0.015, 120),
    qualityByTask: tasks(0.87, 0.9, 0.88),
  },
  {
    name: 'gemini-2.5-flash',
    provider: 'google',
    modelId: 'gemini-2.5-flash',
    label: 'Gemini 2.5 Flash',
    profile: profile(420, 230, 0.8, 0.01, 0.015),
    qualityByTask: tasks(0.78, 0.8, 0.8),
  },
  {
    name: 'gpt-4',
    provider: 'openai',
    modelId: 'gpt-4',
    label: 'GPT-4',
    profile: profile(750, 28, 0.78, 0.01, 0.01),
    qualityByTask: tasks(0.74, 0.78, 0.8),
  },
  {
    name: 'gpt-3.5-turbo',
    provider: 'openai',
    modelId: 'gpt-3.5-turbo',
    label: 'GPT-3.5 Turbo',
    profile: profile(300, 110, 0.58, 0.01, 0.01, 70),
    qualityByTask: tasks(0.52, 0.5, 0.62),
  },
  // Local and Hugging Face models behind the lazy loaders.
  {
    name: 'ollama/qwen2.5-coder:7b',
    provider: 'ollama',
    modelId: 'qwen2.5-coder:7b',
    label: 'Qwen2.5 Coder 7B (Ollama)',
    profile: profile(150, 45, 0.66, 0.005, 0, 90),
    qualityByTask: { ...tasks(0.7, 0.5, 0.5), code_completion: 0.74 },
  },
  {
    name: 'hf/llama-3.1-8b-instruct',
    provider: 'huggingface',
    modelId: 'meta-llama/Llama-3.1-8B-Instruct',
    label: 'Llama 3.1 8B (HF endpoint)',
    profile: profile(280, 90, 0.6, 0.01, 0.01, 80),
    qualityByTask: tasks(0.56, 0.56, 0.62),
  },
];

export const PROVIDER_LABELS: Readonly<Record<FleetProvider, string>> = {
  github: 'GitHub Models',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  ollama: 'Ollama',
  huggingface: 'Hugging Face',
};
