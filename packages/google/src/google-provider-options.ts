import type { GenerateContentConfig } from '@google/genai';
import { InvalidRequestError, type Warning } from '@orchestrator/core';

/**
 * What `providerOptions.google` may carry. Each is passed to the Gemini
 * request unchanged once its shape has been checked.
 */
export interface GoogleProviderOptions {
  /** Safety filter thresholds, e.g. `[{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }]`. */
  readonly safetySettings?: readonly {
    readonly category: string;
    readonly threshold: string;
    readonly method?: string;
  }[];
  /** Thinking budget / level and whether thought summaries come back (they are not part of `content`). */
  readonly thinkingConfig?: {
    readonly thinkingBudget?: number;
    readonly thinkingLevel?: string;
    readonly includeThoughts?: boolean;
  };
  /** Name of a context cache (`cachedContents/…`) to answer from. */
  readonly cachedContent?: string;
  /** Output modalities, e.g. `['TEXT']`. */
  readonly responseModalities?: readonly string[];
  /** `MEDIA_RESOLUTION_LOW` | `MEDIA_RESOLUTION_MEDIUM` | `MEDIA_RESOLUTION_HIGH`. */
  readonly mediaResolution?: string;
  /** `standard` | `flex` | `priority` where offered. */
  readonly serviceTier?: string;
}

type ConfigPatch = Partial<
  Pick<
    GenerateContentConfig,
    | 'safetySettings'
    | 'thinkingConfig'
    | 'cachedContent'
    | 'responseModalities'
    | 'mediaResolution'
    | 'serviceTier'
  >
>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Checks `providerOptions.google` and returns the request fields it sets.
 * A malformed known option is the caller's bug and fails fast with
 * InvalidRequestError; an unknown one becomes a warning.
 */
export function parseGoogleProviderOptions(
  raw: unknown,
  model: string,
  warnings: Warning[],
): ConfigPatch {
  if (raw === undefined) return {};
  const fail = (key: string, expected: string): never => {
    const path = key ? `providerOptions.google.${key}` : 'providerOptions.google';
    throw new InvalidRequestError(`google (${model}): ${path} must be ${expected}.`, {
      provider: 'google',
      model,
    });
  };
  if (!isRecord(raw)) return fail('', 'an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    switch (key) {
      case 'safetySettings':
        if (
          !Array.isArray(value) ||
          !value.every(
            (s) =>
              isRecord(s) &&
              isString(s.category) &&
              isString(s.threshold) &&
              (s.method === undefined || isString(s.method)),
          )
        ) {
          fail(key, 'an array of { category, threshold, method? } strings');
        }
        out[key] = value;
        break;
      case 'thinkingConfig': {
        const ok =
          isRecord(value) &&
          Object.keys(value).every((k) =>
            ['thinkingBudget', 'thinkingLevel', 'includeThoughts'].includes(k),
          ) &&
          (value.thinkingBudget === undefined || Number.isInteger(value.thinkingBudget)) &&
          (value.thinkingLevel === undefined || isString(value.thinkingLevel)) &&
          (value.includeThoughts === undefined || typeof value.includeThoughts === 'boolean');
        if (!ok)
          fail(
            key,
            'an object { thinkingBudget?: integer, thinkingLevel?: string, includeThoughts?: boolean }',
          );
        out[key] = value;
        break;
      }
      case 'cachedContent':
      case 'mediaResolution':
      case 'serviceTier':
        if (!isString(value)) fail(key, 'a non-empty string');
        out[key] = value;
        break;
      case 'responseModalities':
        if (!Array.isArray(value) || !value.every(isString)) fail(key, 'an array of strings');
        out[key] = value;
        break;
      default:
        warnings.push({
          type: 'unsupported-setting',
          setting: `providerOptions.google.${key}`,
          details: 'Not an option this adapter knows; it was not sent.',
        });
    }
  }
  return out as ConfigPatch;
}

/** `providerOptions.google` of an embedding request: `taskType` and `title`. */
export function parseGoogleEmbeddingOptions(
  raw: unknown,
  model: string,
): { taskType?: string; title?: string } {
  if (raw === undefined) return {};
  const fail = (path: string): never => {
    throw new InvalidRequestError(`google (${model}): ${path} must be a non-empty string.`, {
      provider: 'google',
      model,
    });
  };
  if (!isRecord(raw)) return fail('providerOptions.google');
  const out: { taskType?: string; title?: string } = {};
  for (const key of ['taskType', 'title'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!isString(value)) fail(`providerOptions.google.${key}`);
    else out[key] = value;
  }
  return out;
}
