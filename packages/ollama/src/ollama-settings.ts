import type { ModelCapabilities, ModelConstraints, ModelPricing } from '@orchestrator/core';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export interface OllamaModelSettings {
  /** Name in the registry; defaults to `ollama/<model id>`. */
  readonly name?: string;
  /**
   * Where the Ollama server is (`http://127.0.0.1:11434` by default, or
   * `OLLAMA_HOST`). `host:port` without a scheme works, as in Ollama's CLI.
   */
  readonly host?: string;
  /** Same as `host` (a trailing `/api` is tolerated). */
  readonly baseURL?: string;
  /**
   * Bearer key for hosted Ollama (ollama.com) or a server behind an
   * authenticating proxy. `OLLAMA_API_KEY` is used only for ollama.com, so
   * the key is never sent to another host unless given here.
   */
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default timeout of a call, in ms (a call's own `timeoutMs` wins). */
  readonly timeoutMs?: number;
  /** The `fetch` the SDK uses (a proxy agent, instrumentation); default: `@orchestrator/transport`'s shared pool. */
  readonly fetch?: typeof fetch;
  /**
   * Context window to serve the model with (`options.num_ctx`, sent on every
   * call). Ollama serves a model with its server default (4096 unless
   * `OLLAMA_CONTEXT_LENGTH` says otherwise) and silently cuts longer prompts,
   * so without this the model reports a 4096-token window.
   */
  readonly numCtx?: number;
  /** Default `keep_alive` of every call (`"10m"`, seconds, `-1` to keep the model loaded). */
  readonly keepAlive?: string | number;
  /** Overrides of what `getOllamaCapabilities` derives from the id. */
  readonly capabilities?: Partial<ModelCapabilities>;
  readonly constraints?: ModelConstraints;
  /** Prices, for a server whose compute you pay for; zero by default. */
  readonly pricing?: ModelPricing;
}

export interface ResolvedConnection {
  /** The host as the SDK gets it. */
  readonly host: string;
  /** The host without credentials, for messages. */
  readonly displayHost: string;
  readonly apiKey: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly hosted: boolean;
}

function env(name: string): string | undefined {
  const value = typeof process === 'object' ? process.env?.[name] : undefined;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Host, key, headers and the secrets to keep out of messages, from settings and the environment. */
export function resolveOllamaConnection(settings: OllamaModelSettings): ResolvedConnection {
  const host = (settings.host ?? settings.baseURL ?? env('OLLAMA_HOST') ?? DEFAULT_OLLAMA_HOST)
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/api$/, '');
  const withScheme = host.includes('://')
    ? host
    : `http://${host.startsWith(':') ? `127.0.0.1${host}` : host}`;
  let hostname = '';
  let password = '';
  try {
    const url = new URL(withScheme);
    hostname = url.hostname;
    password = decodeURIComponent(url.password);
  } catch {
    // The SDK reports a host it cannot parse.
  }
  const hosted = hostname === 'ollama.com' || hostname.endsWith('.ollama.com');
  const apiKey = settings.apiKey ?? (hosted ? env('OLLAMA_API_KEY') : undefined);
  return {
    host,
    displayHost: withScheme.replace(/\/\/[^/@]*@/, '//'),
    apiKey,
    headers: { ...settings.headers, ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) },
    secrets: [apiKey, password].filter((s): s is string => typeof s === 'string' && s.length > 0),
    hosted,
  };
}
