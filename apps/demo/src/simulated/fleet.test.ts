import { ProviderInternalError, RateLimitError } from '@orchestrator/core';
import { FakeOpenAIServer, SIMULATED_PREFIX } from '@orchestrator/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Fleet, type LazyState } from './fleet.js';
import { FLEET } from './fleet-catalogue.js';
import { resolveProviderModes } from './provider-env.js';

const ask = {
  messages: [{ role: 'user' as const, content: 'Write a debounce in TypeScript' }],
  maxTokens: 60,
};

describe('Fleet', () => {
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
  });

  it('builds every catalogue model on the real adapters against fake servers, each answer marked simulated', async () => {
    fleet = await Fleet.start({ env: {}, timeScale: 0, reliable: true });
    expect(fleet.models.map((m) => m.name)).toEqual(FLEET.map((s) => s.name));
    expect(fleet.providers().every((p) => p.simulated)).toBe(true);
    const providers = new Set<string>();
    for (const model of fleet.models) {
      const answer = await model.generate(ask);
      expect(answer.content.startsWith(SIMULATED_PREFIX), model.name).toBe(true);
      expect(answer.usage.outputTokens ?? 0, model.name).toBeGreaterThan(0);
      providers.add(model.provider);
      // Prices come from the adapters' own tables: every hosted model costs something.
      if (model.provider !== 'ollama' && model.provider !== 'huggingface')
        expect(answer.costUsd, model.name).toBeGreaterThan(0);
    }
    expect([...providers].sort()).toEqual([
      'anthropic',
      'azure',
      'google',
      'huggingface',
      'ollama',
      'openai',
    ]);
  });

  it("carries per-task quality priors and keeps the adapters' list prices", async () => {
    fleet = await Fleet.start({ env: {}, timeScale: 0, providers: ['github', 'anthropic'] });
    const codestral = fleet.models.find((m) => m.name === 'mistral-ai/codestral-2501')!;
    expect(codestral.pricing).toMatchObject({ inputPerMillion: 0.3, outputPerMillion: 0.9 });
    expect(codestral.capabilities.qualityByTask?.code_completion).toBeGreaterThan(
      codestral.capabilities.qualityByTask?.general ?? 1,
    );
    const sonnet = fleet.models.find((m) => m.name === 'claude-sonnet-4')!;
    expect(sonnet.pricing).toMatchObject({ inputPerMillion: 3, outputPerMillion: 15 });
  });

  it('injects lasting faults into a simulated provider and clears them on recovery', async () => {
    fleet = await Fleet.start({
      env: {},
      timeScale: 0,
      reliable: true,
      providers: ['openai', 'anthropic'],
    });
    const gpt4 = fleet.models.find((m) => m.name === 'gpt-4')!;
    const sonnet = fleet.models.find((m) => m.name === 'claude-sonnet-4')!;
    const faults: unknown[] = [];
    fleet.on('fault', (e) => faults.push(e));

    fleet.inject('openai', 'outage');
    for (let i = 0; i < 3; i++)
      await expect(gpt4.generate(ask)).rejects.toBeInstanceOf(ProviderInternalError);
    // The other provider is untouched.
    await expect(sonnet.generate(ask)).resolves.toHaveProperty('content');
    expect(fleet.providers().find((p) => p.provider === 'openai')?.fault).toBe('outage');

    fleet.inject('openai', 'rate_limit');
    const limited = await gpt4.generate(ask).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);

    fleet.recover('openai');
    await expect(gpt4.generate(ask)).resolves.toHaveProperty('content');
    expect(fleet.providers().find((p) => p.provider === 'openai')?.fault).toBeUndefined();
    expect(faults).toEqual([
      { provider: 'openai', fault: 'outage' },
      { provider: 'openai', fault: 'rate_limit' },
      { provider: 'openai', fault: undefined },
    ]);
  });

  it('pulls the Ollama model on first use and rides out the Hugging Face cold start, reporting progress', async () => {
    fleet = await Fleet.start({
      env: {},
      timeScale: 0,
      reliable: true,
      providers: ['ollama', 'huggingface'],
    });
    const states: LazyState[] = [];
    fleet.on('lazy', (s) => states.push(s));
    expect(fleet.lazyStates().map((s) => s.state)).toEqual(['idle', 'idle']);
    for (const model of fleet.models) await model.generate(ask);
    const ollama = states.filter((s) => s.kind === 'ollama-pull');
    expect(
      ollama.some((s) => s.state === 'loading' && s.progress !== undefined && s.progress > 0),
    ).toBe(true);
    expect(ollama.at(-1)).toMatchObject({ state: 'ready', detail: 'pulled and ready' });
    const hf = states.filter((s) => s.kind === 'hf-cold-start');
    expect(hf.filter((s) => s.state === 'loading').length).toBeGreaterThanOrEqual(1);
    expect(hf.at(-1)?.state).toBe('ready');
    expect(fleet.lazyStates().map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  it('uses a provider for real when its key is set, honouring its base-URL variable', async () => {
    // A "real" OpenAI-compatible server that insists on the key from the environment.
    const upstream = new FakeOpenAIServer({ auth: { apiKey: 'sk-live-test' } });
    await upstream.start();
    try {
      fleet = await Fleet.start({
        env: { OPENAI_API_KEY: 'sk-live-test', OPENAI_BASE_URL: upstream.baseURL },
        timeScale: 0,
        providers: ['openai', 'google'],
      });
      expect(fleet.isSimulated('openai')).toBe(false);
      expect(fleet.fakeServer('openai')).toBeUndefined();
      expect(fleet.providers().find((p) => p.provider === 'openai')).toMatchObject({
        simulated: false,
        keyVariable: 'OPENAI_API_KEY',
      });
      const answer = await fleet.models.find((m) => m.name === 'gpt-3.5-turbo')!.generate(ask);
      expect(answer.content.length).toBeGreaterThan(0);
      expect(upstream.lastRequest('/v1/chat/completions')?.headers.authorization).toBe(
        'Bearer sk-live-test',
      );
      expect(() => fleet!.inject('openai', 'outage')).toThrow(/not simulated/);
      expect(fleet.isSimulated('google')).toBe(true);
    } finally {
      await upstream.close();
    }
  });
});

describe('resolveProviderModes', () => {
  it('switches each provider on its usual key variable, and only on it', () => {
    expect(Object.values(resolveProviderModes({})).every((m) => m.mode === 'simulated')).toBe(true);
    const modes = resolveProviderModes({
      GITHUB_TOKEN: 'ghp_x',
      GOOGLE_API_KEY: 'g',
      HF_TOKEN: 'hf_x',
      OLLAMA_HOST: 'http://127.0.0.1:11434',
      ANTHROPIC_API_KEY: ' ',
      ANTHROPIC_BASE_URL: 'http://proxy.example',
    });
    expect(modes.github).toMatchObject({
      mode: 'live',
      keyVariable: 'GITHUB_TOKEN',
      service: 'github',
    });
    expect(modes.google).toMatchObject({ mode: 'live', keyVariable: 'GOOGLE_API_KEY' });
    expect(modes.huggingface).toMatchObject({ mode: 'live', keyVariable: 'HF_TOKEN' });
    expect(modes.ollama).toMatchObject({ mode: 'live', baseURL: 'http://127.0.0.1:11434' });
    // A blank key is no key, whatever its base URL says.
    expect(modes.anthropic.mode).toBe('simulated');
    expect(modes.openai.mode).toBe('simulated');
  });

  it('takes Azure AI Foundry only with both a key and an endpoint', () => {
    expect(resolveProviderModes({ AZURE_OPENAI_API_KEY: 'k' }).github.mode).toBe('simulated');
    expect(
      resolveProviderModes({
        AZURE_OPENAI_API_KEY: 'k',
        AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com',
      }).github,
    ).toMatchObject({ mode: 'live', service: 'foundry', endpoint: 'https://r.openai.azure.com' });
  });
});
