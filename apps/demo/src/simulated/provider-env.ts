import type { FleetProvider } from './fleet-catalogue.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** How one provider of the fleet is reached: its fake server, or the real service. */
export type ProviderMode =
  | { readonly mode: 'simulated' }
  | {
      readonly mode: 'live';
      /** The variable that switched it on (named in the banner; its value never is). */
      readonly keyVariable: string;
      readonly apiKey: string | undefined;
      /** From the provider's base-URL variable, when set. */
      readonly baseURL: string | undefined;
      /** Azure only: GitHub Models or Azure AI Foundry. */
      readonly service?: 'github' | 'foundry';
      readonly endpoint?: string;
    };

function first(env: Env, names: readonly string[]): [string, string] | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

const value = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

/**
 * Decides, per provider, whether the demo simulates it or calls the real
 * service: a provider whose usual key variable is set is live, with its
 * usual base-URL variable honoured (so the gateway can front any compatible
 * server). Ollama needs no key: `OLLAMA_HOST` makes it live.
 */
export function resolveProviderModes(env: Env): Record<FleetProvider, ProviderMode> {
  const simulated: ProviderMode = { mode: 'simulated' };
  const live = (
    names: readonly string[],
    baseURLVariable: string | undefined,
    extra: Partial<Extract<ProviderMode, { mode: 'live' }>> = {},
  ): ProviderMode => {
    const found = first(env, names);
    if (!found) return simulated;
    return {
      mode: 'live',
      keyVariable: found[0],
      apiKey: found[1],
      baseURL: baseURLVariable === undefined ? undefined : value(env, baseURLVariable),
      ...extra,
    };
  };
  const foundryEndpoint = value(env, 'AZURE_OPENAI_ENDPOINT');
  const github: ProviderMode = value(env, 'GITHUB_TOKEN')
    ? live(['GITHUB_TOKEN'], 'AZURE_OPENAI_BASE_URL', { service: 'github' })
    : value(env, 'AZURE_OPENAI_API_KEY') &&
        (foundryEndpoint !== undefined || value(env, 'AZURE_OPENAI_BASE_URL') !== undefined)
      ? live(['AZURE_OPENAI_API_KEY'], 'AZURE_OPENAI_BASE_URL', {
          service: 'foundry',
          ...(foundryEndpoint === undefined ? {} : { endpoint: foundryEndpoint }),
        })
      : simulated;
  const ollamaHost = value(env, 'OLLAMA_HOST');
  return {
    github,
    openai: live(['OPENAI_API_KEY'], 'OPENAI_BASE_URL'),
    anthropic: live(['ANTHROPIC_API_KEY'], 'ANTHROPIC_BASE_URL'),
    google: live(['GEMINI_API_KEY', 'GOOGLE_API_KEY'], 'GOOGLE_GEMINI_BASE_URL'),
    huggingface: live(['HF_TOKEN', 'HUGGINGFACE_API_KEY'], 'HF_BASE_URL'),
    ollama:
      ollamaHost === undefined
        ? simulated
        : {
            mode: 'live',
            keyVariable: 'OLLAMA_HOST',
            apiKey: value(env, 'OLLAMA_API_KEY'),
            baseURL: ollamaHost,
          },
  };
}
