import { calculateCost, type ModelPricing, roundUsd, type Usage } from '@orchestrator/core';

/** The usage fields Anthropic reports, in a message and in `message_delta` events. */
export interface AnthropicUsageLike {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_creation?: {
    readonly ephemeral_5m_input_tokens?: number | null;
    readonly ephemeral_1h_input_tokens?: number | null;
  } | null;
  readonly output_tokens_details?: { readonly thinking_tokens?: number | null } | null;
}

const n = (v: number | null | undefined): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : 0;

/**
 * Normalized usage: Anthropic's `input_tokens` excludes cache reads and
 * writes, so input = input + cache reads + cache writes; cached = cache reads.
 */
export function convertAnthropicUsage(raw: AnthropicUsageLike): Usage {
  const inputTokens =
    n(raw.input_tokens) + n(raw.cache_read_input_tokens) + n(raw.cache_creation_input_tokens);
  const outputTokens = n(raw.output_tokens);
  const thinking = raw.output_tokens_details?.thinking_tokens;
  const usage: { -readonly [K in keyof Usage]: Usage[K] } = {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cachedInputTokens: n(raw.cache_read_input_tokens),
    raw,
  };
  if (typeof thinking === 'number') usage.reasoningTokens = thinking;
  return usage;
}

/**
 * Cost of a call: core's calculation (cache reads at the cached rate) plus
 * Anthropic's surcharge on cache writes, which cost 1.25× the input price for
 * the 5-minute cache and 2× for the 1-hour one (core bills them as input).
 */
export function anthropicCost(
  pricing: ModelPricing,
  usage: Usage,
  raw: AnthropicUsageLike,
): number {
  const base = calculateCost(pricing, usage);
  const written = n(raw.cache_creation_input_tokens);
  if (written === 0) return base;
  const oneHour = Math.min(written, n(raw.cache_creation?.ephemeral_1h_input_tokens));
  const surcharge = ((written - oneHour) * 0.25 + oneHour * 1) * pricing.inputPerMillion;
  return roundUsd(base + surcharge / 1_000_000);
}
