import type { ModelCapabilities, ModelConstraints, ModelPricing } from '@orchestrator/core';
import { defaultTransportFetch } from '@orchestrator/transport';
import OpenAI from 'openai';
import type { OpenAIModelSpec } from './openai-capabilities.js';

/**
 * `strict` speaks OpenAI's own API: usage in streams (`stream_options`),
 * `developer` messages for reasoning models, base64 embeddings. `compatible`
 * sends only what every OpenAI-compatible server (vLLM, LM Studio, Ollama,
 * Together, llama.cpp…) understands, and tolerates what they leave out.
 */
export type OpenAICompatibility = 'strict' | 'compatible';

export interface OpenAIModelSettings {
  /** Name in the registry (default: the model id). */
  readonly name?: string;
  /** Provider label used in metrics and errors (default `openai`; say `vllm` for a vLLM server). */
  readonly provider?: string;
  /** API key; defaults to the `OPENAI_API_KEY` environment variable. Optional for custom base URLs. */
  readonly apiKey?: string;
  /** Base URL of the API; defaults to `OPENAI_BASE_URL`, then `https://api.openai.com/v1`. */
  readonly baseURL?: string;
  readonly organization?: string;
  readonly project?: string;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one call in ms (the model's `constraints.timeoutMs`); per-call options override it. */
  readonly timeoutMs?: number;
  /**
   * The fetch the SDK sends with; default: `@orchestrator/transport`'s shared pool (cheaper per
   * call than Node's global fetch).
   */
  readonly fetch?: typeof globalThis.fetch;
  /** Default `strict` for OpenAI itself; use `compatible` for other OpenAI-compatible servers. */
  readonly compatibility?: OpenAICompatibility;
  /** Override or complete what the id-derived table says (useful for ids it does not know). */
  readonly capabilities?: Partial<ModelCapabilities>;
  readonly pricing?: ModelPricing;
  readonly constraints?: ModelConstraints;
}

/**
 * How an adapter speaking the OpenAI protocol differs from OpenAI itself.
 * `AzureModel` passes its own; users of `OpenAIModel` never need it.
 */
export interface OpenAIProtocol {
  readonly provider: string;
  /** Environment variables the key is read from, in order, when settings give none. */
  readonly apiKeyEnv: readonly string[];
  /** The base URL when settings give none (after `baseURLEnv`). */
  readonly defaultBaseURL: string;
  readonly baseURLEnv: readonly string[];
  /** `Authorization: Bearer <key>` or an `api-key: <key>` header (Azure). */
  readonly authHeader: 'bearer' | 'api-key';
  /** Whether calls without a key fail at once (true for hosted services). */
  readonly requiresApiKey: (baseURL: string) => boolean;
  /** What to tell a user whose key is missing. */
  readonly missingKeyHint: string;
  readonly specOf: (id: string) => OpenAIModelSpec;
  /** `providerOptions` keys read, later ones overriding earlier ones. */
  readonly providerOptionKeys: readonly string[];
  readonly defaultQuery?: Readonly<Record<string, string>>;
  /** Whether to send the SDK's organization/project headers (OpenAI only). */
  readonly sendOrganization: boolean;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function readEnv(names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

export interface ResolvedClientConfig {
  readonly apiKey: string | undefined;
  readonly baseURL: string;
}

/**
 * Builds the SDK client: retries off (the orchestrator retries), logging off
 * (the adapter reports errors itself and the SDK would print raw chunks), and
 * the key in the header the service expects.
 */
export function createOpenAIClient(
  settings: OpenAIModelSettings,
  protocol: OpenAIProtocol,
): { readonly client: OpenAI; readonly config: ResolvedClientConfig } {
  const apiKey = settings.apiKey ?? readEnv(protocol.apiKeyEnv);
  const baseURL = (
    settings.baseURL ??
    readEnv(protocol.baseURLEnv) ??
    protocol.defaultBaseURL
  ).replace(/\/+$/, '');
  const authHeaders: Record<string, string | null> =
    protocol.authHeader === 'api-key'
      ? { Authorization: null, ...(apiKey ? { 'api-key': apiKey } : {}) }
      : apiKey
        ? {}
        : { Authorization: null };
  const client = new OpenAI({
    apiKey: protocol.authHeader === 'bearer' && apiKey ? apiKey : '',
    baseURL,
    organization: protocol.sendOrganization
      ? (settings.organization ?? readEnv(['OPENAI_ORG_ID']) ?? null)
      : null,
    project: protocol.sendOrganization
      ? (settings.project ?? readEnv(['OPENAI_PROJECT_ID']) ?? null)
      : null,
    webhookSecret: null,
    maxRetries: 0,
    logLevel: 'off',
    defaultHeaders: { ...authHeaders, ...settings.headers },
    ...(protocol.defaultQuery ? { defaultQuery: { ...protocol.defaultQuery } } : {}),
    fetch: settings.fetch ?? defaultTransportFetch,
  });
  return { client, config: { apiKey, baseURL } };
}
