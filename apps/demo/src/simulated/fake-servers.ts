import type { ModelProfile } from '@orchestrator/testing';
import {
  DEFAULT_GITHUB_MODELS,
  DEFAULT_OLLAMA_MODELS,
  FakeAnthropicServer,
  FakeAzureServer,
  FakeGeminiServer,
  FakeHuggingFaceServer,
  FakeOllamaServer,
  FakeOpenAIServer,
  type FakeServer,
  normalizeOllamaModelName,
} from '@orchestrator/testing';
import { FLEET, FLEET_PROVIDERS, type FleetProvider } from './fleet-catalogue.js';

/** How the simulated Hugging Face endpoint starts: cold, answering 503 "loading" this many times. */
export const HF_COLD_START = { loadingReplies: 3, estimatedTimeSec: 1.2 } as const;
/** Delay between the lines of a simulated Ollama pull, so the progress is visible. */
export const OLLAMA_PULL_LINE_DELAY_MS = 180;

export interface FakeServerOptionsForFleet {
  /** Seed of each fake's randomness: the same seed replays the same latencies and failures. */
  readonly seed?: number;
  /** Scales every simulated latency and token delay (tests run the fleet at 0 for speed). */
  readonly timeScale?: number;
  /** No random failures or rate limits (tests that need every call to succeed). */
  readonly reliable?: boolean;
}

function profilesOf(
  provider: FleetProvider,
  timeScale: number,
  reliable: boolean,
): Record<string, Required<ModelProfile>> {
  const out: Record<string, Required<ModelProfile>> = {};
  for (const spec of FLEET) {
    if (spec.provider !== provider) continue;
    const p = spec.profile;
    out[spec.modelId] = {
      ...p,
      latencyMs: p.latencyMs * timeScale,
      // 0 tokens/s means "no delay" to the fakes, which is what a time scale of 0 asks for.
      tokensPerSecond: timeScale === 0 ? 0 : p.tokensPerSecond / timeScale,
      ...(reliable ? { failureRate: 0, rateLimitRate: 0 } : {}),
    };
  }
  return out;
}

/** Starts the fake server that simulates one provider, on loopback, on a free port. */
export async function startFakeServer(
  provider: FleetProvider,
  options: FakeServerOptionsForFleet = {},
): Promise<FakeServer> {
  const timeScale = options.timeScale ?? 1;
  // One seed per provider: with a shared seed every fake would roll the same first failures.
  const seed = (options.seed ?? 7) * 31 + FLEET_PROVIDERS.indexOf(provider);
  const base = { seed, profiles: profilesOf(provider, timeScale, options.reliable === true) };
  let server: FakeServer;
  switch (provider) {
    case 'github':
      server = new FakeAzureServer({ ...base, service: 'github', models: DEFAULT_GITHUB_MODELS });
      break;
    case 'openai':
      server = new FakeOpenAIServer(base);
      break;
    case 'anthropic':
      server = new FakeAnthropicServer(base);
      break;
    case 'google':
      server = new FakeGeminiServer(base);
      break;
    case 'ollama': {
      // The fake starts without the fleet's Ollama model, so its first use pulls it (with progress).
      const lazy = FLEET.filter((s) => s.provider === 'ollama').map((s) =>
        normalizeOllamaModelName(s.modelId),
      );
      const ollama = new FakeOllamaServer({
        ...base,
        models: DEFAULT_OLLAMA_MODELS.filter((m) => !lazy.includes(normalizeOllamaModelName(m))),
      });
      ollama.enqueue({
        match: { path: '/api/pull' },
        chunkDelayMs: OLLAMA_PULL_LINE_DELAY_MS * timeScale,
      });
      server = ollama;
      break;
    }
    case 'huggingface': {
      const spec = FLEET.find((s) => s.provider === 'huggingface');
      const hf = new FakeHuggingFaceServer({
        seed: base.seed,
        // A dedicated endpoint serves one model; its profile applies to every request.
        profiles: spec ? { '*': base.profiles[spec.modelId]! } : {},
        ...(spec ? { servedModel: spec.modelId } : {}),
      });
      // Scaled to zero: the first calls meet 503 "currently loading" until the model is up.
      hf.loadingForRequests(HF_COLD_START.loadingReplies, {
        estimatedTimeSec: HF_COLD_START.estimatedTimeSec * timeScale,
      });
      server = hf;
      break;
    }
  }
  await server.start();
  return server;
}

/** The base URL an adapter is given for a fake server. */
export function adapterBaseURL(server: FakeServer): string {
  // OpenAI-protocol fakes (GitHub Models too) serve under a path prefix; the others at the root.
  return server instanceof FakeOpenAIServer ? server.baseURL : server.url;
}
