import type { Warning } from '@orchestrator/core';

/** Options for OpenAI passed in `providerOptions.openai` (camelCase). */
export interface OpenAIProviderOptions {
  /** Reasoning models only: `none`, `minimal`, `low`, `medium`, `high`, `xhigh`. */
  readonly reasoningEffort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  /** gpt-5 family: `low`, `medium`, `high`. */
  readonly verbosity?: 'low' | 'medium' | 'high';
  /** Sent only when the request has tools. */
  readonly parallelToolCalls?: boolean;
  readonly user?: string;
  readonly safetyIdentifier?: string;
  readonly store?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly serviceTier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority';
  readonly promptCacheKey?: string;
  readonly logitBias?: Readonly<Record<string, number>>;
  /** Overrides the request's `maxTokens` as `max_completion_tokens`. */
  readonly maxCompletionTokens?: number;
}

/** The validated options as Chat Completions body fields. */
export type OpenAIProviderParams = Record<string, unknown>;

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const VERBOSITY = ['low', 'medium', 'high'];
const TIERS = ['auto', 'default', 'flex', 'scale', 'priority'];

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string' && v.length > 0;
const isBoolean: Check = (v) => typeof v === 'boolean';
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const isRecordOf =
  (check: Check): Check =>
  (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(check);

const FIELDS: Readonly<Record<keyof OpenAIProviderOptions, readonly [string, Check, string]>> = {
  reasoningEffort: ['reasoning_effort', oneOf(EFFORTS), `one of ${EFFORTS.join(', ')}`],
  verbosity: ['verbosity', oneOf(VERBOSITY), `one of ${VERBOSITY.join(', ')}`],
  parallelToolCalls: ['parallel_tool_calls', isBoolean, 'a boolean'],
  user: ['user', isString, 'a non-empty string'],
  safetyIdentifier: ['safety_identifier', isString, 'a non-empty string'],
  store: ['store', isBoolean, 'a boolean'],
  metadata: ['metadata', isRecordOf((v) => typeof v === 'string'), 'an object of strings'],
  serviceTier: ['service_tier', oneOf(TIERS), `one of ${TIERS.join(', ')}`],
  promptCacheKey: ['prompt_cache_key', isString, 'a non-empty string'],
  logitBias: [
    'logit_bias',
    isRecordOf((v) => typeof v === 'number' && v >= -100 && v <= 100),
    'an object of numbers in [-100, 100]',
  ],
  maxCompletionTokens: [
    'max_completion_tokens',
    (v) => typeof v === 'number' && Number.isInteger(v) && v > 0,
    'a positive integer',
  ],
};

/**
 * Validates `providerOptions[key]` for each key in order (later keys win) and
 * turns them into body fields. Unknown or invalid options become warnings and
 * are dropped, so a request rerouted here never fails because of them.
 */
export function parseOpenAIProviderOptions(
  providerOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
  keys: readonly string[],
  warnings: Warning[],
): OpenAIProviderParams {
  const params: OpenAIProviderParams = {};
  if (!providerOptions) return params;
  for (const key of keys) {
    const options = Object.hasOwn(providerOptions, key) ? providerOptions[key] : undefined;
    if (options === undefined || options === null) continue;
    if (typeof options !== 'object' || Array.isArray(options)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.${key}`,
        details: 'must be an object',
      });
      continue;
    }
    for (const name of Object.keys(options)) {
      const value = options[name];
      if (value === undefined) continue;
      const field = Object.hasOwn(FIELDS, name)
        ? FIELDS[name as keyof OpenAIProviderOptions]
        : undefined;
      if (!field) {
        warnings.push({
          type: 'unsupported-setting',
          setting: `providerOptions.${key}.${name}`,
          details: 'unknown option',
        });
        continue;
      }
      const [wire, check, expected] = field;
      if (!check(value)) {
        warnings.push({
          type: 'unsupported-setting',
          setting: `providerOptions.${key}.${name}`,
          details: `must be ${expected}`,
        });
        continue;
      }
      params[wire] = typeof value === 'object' ? { ...(value as object) } : value;
    }
  }
  return params;
}
