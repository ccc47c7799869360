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
  return {
    ...(input === undefined ? {} : { inputTokens: input }),
    ...(output === undefined ? {} : { outputTokens: output }),
    ...(total === undefined ? {} : { totalTokens: total }),
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
    ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    raw,
  };
}
