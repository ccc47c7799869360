import type { Usage } from '@orchestrator/core';

interface OpenAIUsageLike {
  readonly prompt_tokens?: unknown;
  readonly completion_tokens?: unknown;
  readonly total_tokens?: unknown;
  readonly prompt_tokens_details?: { readonly cached_tokens?: unknown } | null;
  readonly completion_tokens_details?: { readonly reasoning_tokens?: unknown } | null;
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * Normalizes OpenAI usage: input includes cached tokens, output includes
 * reasoning tokens (as OpenAI counts them); the raw object is kept.
 */
export function convertOpenAIUsage(raw: unknown): Usage {
  if (typeof raw !== 'object' || raw === null) return {};
  const usage = raw as OpenAIUsageLike;
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const total =
    count(usage.total_tokens) ??
    (input !== undefined && output !== undefined ? input + output : undefined);
  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  const reasoning = count(usage.completion_tokens_details?.reasoning_tokens);
  // Set one by one: conditional spreads take V8's slow object-literal path on Node 20
  // (about a microsecond each; this runs for every response).
  const out: { -readonly [K in keyof Usage]: Usage[K] } = {};
  if (input !== undefined) out.inputTokens = input;
  if (output !== undefined) out.outputTokens = output;
  if (total !== undefined) out.totalTokens = total;
  if (cached !== undefined) out.cachedInputTokens = cached;
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  out.raw = raw;
  return out;
}
