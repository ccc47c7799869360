import { isIP } from 'node:net';
import type { GatewayConfig, ProviderName } from '../config/config-schema.js';
import { ConfigError } from '../config/load-config.js';

/** A provider that is live: its key (from the environment) and where it is reached. */
export interface ResolvedProvider {
  readonly provider: ProviderName;
  readonly apiKey: string | undefined;
  readonly baseURL: string | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
}

type Env = Readonly<Record<string, string | undefined>>;

function first(env: Env, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** Environment variables of each provider: keys first, then base URLs. */
export const PROVIDER_ENV: Readonly<
  Record<ProviderName, { readonly keys: readonly string[]; readonly baseURL: readonly string[] }>
> = {
  openai: { keys: ['OPENAI_API_KEY'], baseURL: ['OPENAI_BASE_URL'] },
  anthropic: { keys: ['ANTHROPIC_API_KEY'], baseURL: ['ANTHROPIC_BASE_URL'] },
  google: { keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], baseURL: ['GOOGLE_GEMINI_BASE_URL'] },
  huggingface: { keys: ['HF_TOKEN'], baseURL: ['HF_BASE_URL'] },
  ollama: { keys: ['OLLAMA_API_KEY'], baseURL: ['OLLAMA_HOST'] },
  azure: { keys: ['AZURE_OPENAI_API_KEY', 'GITHUB_TOKEN'], baseURL: ['AZURE_OPENAI_BASE_URL'] },
};

/** True for hosts on loopback, link-local or private networks (literal addresses and localhost). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const kind = isIP(host);
  if (kind === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (kind === 6) {
    return (
      host === '::1' ||
      host === '::' ||
      host.startsWith('fe80:') ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('::ffff:127.')
    );
  }
  return false;
}

/**
 * Decides which providers are live: a provider is registered when its key is
 * in the environment (Ollama: when a host is configured, since it needs no
 * key). Base URLs come from configuration or the provider's environment
 * variable only, and a local one needs `allowLoopback: true`.
 */
export function resolveProviders(
  config: GatewayConfig,
  env: Env,
): Map<ProviderName, ResolvedProvider> {
  const live = new Map<ProviderName, ResolvedProvider>();
  const problems: { path: string; message: string }[] = [];
  for (const provider of Object.keys(PROVIDER_ENV) as ProviderName[]) {
    const settings = config.providers[provider];
    if (settings?.enabled === false) continue;
    const names = PROVIDER_ENV[provider];
    const apiKey = first(env, names.keys);
    const configured =
      settings?.baseURL ??
      (provider === 'ollama' ? config.providers.ollama?.host : undefined) ??
      first(env, names.baseURL);
    const isLive =
      provider === 'ollama'
        ? configured !== undefined
        : provider === 'azure'
          ? apiKey !== undefined &&
            (configured !== undefined ||
              first(env, ['GITHUB_TOKEN']) !== undefined ||
              config.providers.azure?.endpoint !== undefined ||
              env.AZURE_OPENAI_ENDPOINT !== undefined ||
              config.providers.azure?.resourceName !== undefined)
          : apiKey !== undefined;
    if (!isLive) continue;
    if (configured !== undefined) {
      let url: URL;
      try {
        url = new URL(configured);
      } catch {
        problems.push({ path: `providers.${provider}.baseURL`, message: 'is not a valid URL' });
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        problems.push({ path: `providers.${provider}.baseURL`, message: 'must be http or https' });
        continue;
      }
      if (isLocalHost(url.hostname) && settings?.allowLoopback !== true) {
        problems.push({
          path: `providers.${provider}.allowLoopback`,
          message: `the base URL ${url.origin} is on a local network; set allowLoopback: true to use it`,
        });
        continue;
      }
    }
    const extra: Record<string, unknown> = {};
    if (provider === 'azure' && config.providers.azure) {
      const a = config.providers.azure;
      if (a.service !== undefined) extra.service = a.service;
      if (a.endpoint !== undefined) extra.endpoint = a.endpoint;
      if (a.resourceName !== undefined) extra.resourceName = a.resourceName;
      if (a.apiVersion !== undefined) extra.apiVersion = a.apiVersion;
      if (
        a.service === undefined &&
        a.endpoint === undefined &&
        a.resourceName === undefined &&
        env.AZURE_OPENAI_ENDPOINT
      )
        extra.endpoint = env.AZURE_OPENAI_ENDPOINT;
    }
    if (provider === 'huggingface' && config.providers.huggingface?.endpointUrl)
      extra.endpointUrl = config.providers.huggingface.endpointUrl;
    live.set(provider, {
      provider,
      apiKey,
      baseURL: configured,
      headers: settings?.headers,
      extra,
    });
  }
  if (problems.length) throw new ConfigError('', problems);
  return live;
}
