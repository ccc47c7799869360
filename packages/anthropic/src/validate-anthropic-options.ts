import { InvalidRequestError, type Warning } from '@orchestrator/core';

/** `providerOptions.anthropic`: the Anthropic-only request parameters the adapter accepts. */
export interface AnthropicProviderOptions {
  /** Extended thinking: `{ type: 'enabled', budget_tokens }` (≥ 1024, < max tokens), `adaptive` or `disabled`. */
  readonly thinking?:
    | {
        readonly type: 'enabled';
        readonly budget_tokens: number;
        readonly display?: 'summarized' | 'omitted';
      }
    | { readonly type: 'adaptive'; readonly display?: 'summarized' | 'omitted' }
    | { readonly type: 'disabled' };
  /** `metadata.user_id`: an opaque id of the end user, for Anthropic's abuse detection. */
  readonly metadata?: { readonly user_id?: string };
  readonly service_tier?: 'auto' | 'standard_only';
  /** Effort of models that take it. */
  readonly output_config?: { readonly effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max' };
  readonly speed?: 'standard' | 'fast';
  readonly inference_geo?: string;
  /** Automatic prompt caching of the request prefix. */
  readonly cache_control?: { readonly type: 'ephemeral'; readonly ttl?: '5m' | '1h' };
  /** Make a tool-using answer call at most one tool. */
  readonly disable_parallel_tool_use?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(param: string, message: string): never {
  throw new InvalidRequestError(`anthropic: providerOptions.anthropic.${param} ${message}`, {
    provider: 'anthropic',
    providerCode: 'invalid_provider_options',
  });
}

function oneOf(param: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    fail(param, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
}

/**
 * Validates `providerOptions.anthropic`. Wrong values of known options are the
 * caller's bug and throw InvalidRequestError naming the parameter; unknown
 * options are dropped with a warning, so a rerouted request never crashes.
 */
export function validateAnthropicOptions(
  raw: unknown,
  maxTokens: number,
  warnings: Warning[],
): AnthropicProviderOptions {
  if (raw === undefined) return {};
  if (!isRecord(raw)) fail('', 'must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    switch (key) {
      case 'thinking': {
        if (!isRecord(value)) fail(key, 'must be an object');
        oneOf('thinking.type', value.type, ['enabled', 'adaptive', 'disabled']);
        if (value.display !== undefined)
          oneOf('thinking.display', value.display, ['summarized', 'omitted']);
        if (value.type === 'enabled') {
          const budget = value.budget_tokens;
          if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1024) {
            fail('thinking.budget_tokens', 'must be an integer ≥ 1024');
          }
          if (budget >= maxTokens) {
            fail('thinking.budget_tokens', `must be less than max tokens (${maxTokens})`);
          }
        }
        out.thinking = { ...value };
        break;
      }
      case 'metadata':
        if (
          !isRecord(value) ||
          (value.user_id !== undefined && typeof value.user_id !== 'string')
        ) {
          fail(key, 'must be { user_id?: string }');
        }
        out.metadata = value.user_id === undefined ? {} : { user_id: value.user_id };
        break;
      case 'service_tier':
        oneOf(key, value, ['auto', 'standard_only']);
        out[key] = value;
        break;
      case 'speed':
        oneOf(key, value, ['standard', 'fast']);
        out[key] = value;
        break;
      case 'inference_geo':
        if (typeof value !== 'string' || value === '') fail(key, 'must be a non-empty string');
        out[key] = value;
        break;
      case 'output_config':
        if (!isRecord(value)) fail(key, 'must be an object');
        if (value.effort !== undefined) {
          oneOf('output_config.effort', value.effort, ['low', 'medium', 'high', 'xhigh', 'max']);
        }
        out[key] = value.effort === undefined ? {} : { effort: value.effort };
        break;
      case 'cache_control':
        if (!isRecord(value) || value.type !== 'ephemeral')
          fail(key, "must be { type: 'ephemeral', ttl? }");
        if (value.ttl !== undefined) oneOf('cache_control.ttl', value.ttl, ['5m', '1h']);
        out[key] = { type: 'ephemeral', ...(value.ttl === undefined ? {} : { ttl: value.ttl }) };
        break;
      case 'disable_parallel_tool_use':
        if (typeof value !== 'boolean') fail(key, 'must be a boolean');
        out[key] = value;
        break;
      default:
        warnings.push({
          type: 'unsupported-setting',
          setting: `providerOptions.anthropic.${key}`,
          details: 'Not an option the Anthropic adapter knows; it was not sent.',
        });
    }
  }
  return out as AnthropicProviderOptions;
}
