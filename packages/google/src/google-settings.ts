import type { Fetch } from '@google/genai';
import type { ModelCapabilities, ModelConstraints, ModelPricing } from '@orchestrator/core';
import type { GoogleModelId } from './google-capabilities.js';

export interface GoogleModelSettings {
  /** The Gemini model id, e.g. `gemini-2.5-flash`. */
  readonly model: GoogleModelId;
  /** Name in the registry (default: the model id). */
  readonly name?: string;
  /** API key; defaults to `GEMINI_API_KEY`, then `GOOGLE_API_KEY`. */
  readonly apiKey?: string;
  /**
   * API root (default `GOOGLE_GEMINI_BASE_URL`, else `https://generativelanguage.googleapis.com`).
   * A trailing `/v1beta` or `/v1` sets the API version.
   */
  readonly baseURL?: string;
  /** API version (default `v1beta`). */
  readonly apiVersion?: string;
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default timeout of one call in ms (also `constraints.timeoutMs`); a call's own `timeoutMs` wins. */
  readonly timeoutMs?: number;
  /** The fetch the SDK uses (default: `@orchestrator/transport`, with the 300 s header and body limits off). */
  readonly fetch?: Fetch;
  readonly capabilities?: Partial<ModelCapabilities>;
  readonly pricing?: ModelPricing;
  readonly constraints?: ModelConstraints;
}

export interface ResolvedConnection {
  readonly apiKey: string | undefined;
  readonly baseURL: string | undefined;
  readonly apiVersion: string | undefined;
}

/** Key, base URL and API version from the settings, else the environment. */
export function resolveConnection(settings: GoogleModelSettings): ResolvedConnection {
  const apiKey = settings.apiKey ?? env('GEMINI_API_KEY') ?? env('GOOGLE_API_KEY');
  const url = settings.baseURL ?? env('GOOGLE_GEMINI_BASE_URL');
  if (url === undefined) return { apiKey, baseURL: undefined, apiVersion: settings.apiVersion };
  // `https://host/v1beta` → root `https://host` and version `v1beta`: the SDK appends the version itself.
  const match = /^(.*?)\/(v1(?:alpha|beta)?\d*)\/?$/.exec(url);
  return match
    ? { apiKey, baseURL: match[1]!, apiVersion: settings.apiVersion ?? match[2]! }
    : { apiKey, baseURL: url.replace(/\/+$/, ''), apiVersion: settings.apiVersion };
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}
