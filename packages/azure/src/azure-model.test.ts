import { type ChatRequest, calculateCost } from '@orchestrator/core';
import { getOpenAIPricing } from '@orchestrator/openai';
import type { FakeAzureServer } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  collect,
  FOUNDRY_KEY,
  foundryModel,
  GITHUB_TOKEN,
  githubModel,
  startFoundry,
  startGitHub,
  textOf,
} from './__tests__/helpers.js';
import { AzureModel, createAzureModel, GITHUB_MODELS_BASE_URL } from './index.js';

let github: FakeAzureServer;
let foundry: FakeAzureServer;
beforeAll(async () => {
  [github, foundry] = await Promise.all([startGitHub(), startFoundry()]);
});
afterAll(() => Promise.all([github.close(), foundry.close()]));

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };
const body = (server: FakeAzureServer) => server.lastRequest()?.body as Record<string, unknown>;

describe('GitHub Models', () => {
  it('sends the catalogue id with the GitHub token as Bearer and maps the answer', async () => {
    const model = createAzureModel('openai/gpt-4o-mini', {
      apiKey: GITHUB_TOKEN,
      baseURL: github.baseURL,
      service: 'github',
    });
    const response = await model.generate({ ...hello, system: 'Be brief.' });
    const sent = github.lastRequest()!;
    expect(sent.path).toBe('/inference/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect(sent.headers['api-key']).toBeUndefined();
    expect(sent.headers['openai-organization']).toBeUndefined();
    expect(sent.body).toMatchObject({
      model: 'openai/gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
    expect(model.service).toBe('github');
    expect(response.provider).toBe('azure');
    expect(response.content).toContain('Say hello');
    expect(response.finishReason).toBe('stop');
    expect(model.pricing).toEqual(getOpenAIPricing('gpt-4o-mini'));
    expect(response.costUsd).toBe(calculateCost(model.pricing, response.usage));
    expect(response.costUsd).toBeGreaterThan(0);
  });

  it('serves the non-OpenAI catalogue with its own capabilities and prices', async () => {
    const model = githubModel(github, 'mistral-ai/Codestral-2501');
    expect(model.capabilities.contextWindow).toBe(262_144);
    expect(model.pricing).toEqual({ inputPerMillion: 0.3, outputPerMillion: 0.9 });
    const response = await model.generate({
      messages: [{ role: 'user', content: 'Write a sort function' }],
      maxTokens: 300,
      temperature: 0.2,
      tools: [{ name: 'run', parameters: { type: 'object', properties: {} } }],
    });
    expect(body(github)).toMatchObject({
      model: 'mistral-ai/Codestral-2501',
      max_tokens: 300,
      temperature: 0.2,
    });
    expect(body(github)).not.toHaveProperty('tools');
    expect(response.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'tools',
        details: 'this model does not call tools; tools were left out',
      },
    ]);
    expect(response.costUsd).toBeCloseTo(
      (response.usage.inputTokens! * 0.3 + response.usage.outputTokens! * 0.9) / 1e6,
      12,
    );
  });

  it('applies the OpenAI reasoning rules to openai/ reasoning models and reads azure provider options', async () => {
    const response = await githubModel(github, 'openai/o4-mini').generate({
      ...hello,
      temperature: 0.5,
      maxTokens: 400,
      providerOptions: { azure: { reasoningEffort: 'high' } },
    });
    expect(body(github)).toMatchObject({ max_completion_tokens: 400, reasoning_effort: 'high' });
    expect(body(github)).not.toHaveProperty('temperature');
    expect(response.warnings).toMatchObject([{ setting: 'temperature' }]);
    expect(response.usage.reasoningTokens).toBeGreaterThan(0);
  });

  it('streams through the service’s leading prompt-filter chunk', async () => {
    const model = githubModel(github, 'meta/Meta-Llama-3.1-70B-Instruct');
    const plain = await model.generate(hello);
    const chunks = await collect(model.stream(hello));
    expect(body(github)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(textOf(chunks)).toBe(plain.content);
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: plain.usage.inputTokens },
    });
    expect(chunks.filter((c) => c.type === 'finish' || c.type === 'error')).toHaveLength(1);
  });

  it('streams tool calls', async () => {
    github.enqueue({ toolCalls: [{ name: 'search', arguments: '{"q":"azure"}' }] });
    const chunks = await collect(
      githubModel(github, 'openai/gpt-4o').stream({
        ...hello,
        tools: [
          { name: 'search', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
        ],
        toolChoice: 'required',
      }),
    );
    expect(body(github).tool_choice).toBe('required');
    const deltas = chunks.filter((c) => c.type === 'tool-call-delta');
    expect(deltas[0]).toMatchObject({ index: 0, name: 'search' });
    expect(JSON.parse(deltas.map((d) => d.argumentsDelta).join(''))).toEqual({ q: 'azure' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('defaults to models.github.ai with GITHUB_TOKEN, and bills an organization when asked', async () => {
    vi.stubEnv('GITHUB_TOKEN', GITHUB_TOKEN);
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', '');
    try {
      const model = new AzureModel('openai/gpt-4o');
      expect(model.service).toBe('github');
      expect(model.baseURL).toBe(GITHUB_MODELS_BASE_URL);
      expect(new AzureModel('openai/gpt-4o', { githubOrganization: 'acme' }).baseURL).toBe(
        'https://models.github.ai/orgs/acme/inference',
      );
      const onFake = new AzureModel('openai/gpt-4o', { baseURL: github.baseURL });
      await onFake.generate(hello);
      expect(github.lastRequest()!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('checks health in the catalogue, without a generation', async () => {
    const before = github.requests.length;
    const healthy = await githubModel(github, 'mistral-ai/Mistral-Nemo').healthCheck();
    expect(healthy.healthy).toBe(true);
    const probe = github.requests.slice(before);
    expect(probe.map((r) => r.path)).toEqual(['/catalog/models']);
    expect(probe[0]!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect(probe[0]!.headers['x-github-api-version']).toBe('2022-11-28');

    const missing = await githubModel(github, 'acme/unknown-model').healthCheck();
    expect(missing).toMatchObject({
      healthy: false,
      message: 'model acme/unknown-model is not in the GitHub Models catalogue',
    });
  });
});

describe('Azure AI Foundry', () => {
  it('sends the deployment name with the key in the api-key header', async () => {
    const response = await foundryModel(foundry, 'gpt-4o').generate(hello);
    const sent = foundry.lastRequest()!;
    expect(sent.path).toBe('/openai/v1/chat/completions');
    expect(sent.headers['api-key']).toBe(FOUNDRY_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({ model: 'gpt-4o' });
    expect(response).toMatchObject({ provider: 'azure', finishReason: 'stop' });
    expect(response.costUsd).toBe(calculateCost(getOpenAIPricing('gpt-4o'), response.usage));
  });

  it('reads AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY, and passes an api-version', async () => {
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', foundry.url);
    vi.stubEnv('AZURE_OPENAI_API_KEY', FOUNDRY_KEY);
    try {
      const model = new AzureModel('gpt-4o-mini', { apiVersion: 'preview' });
      expect(model.service).toBe('foundry');
      expect(model.baseURL).toBe(`${foundry.url}/openai/v1`);
      await model.generate(hello);
      const sent = foundry.lastRequest()!;
      expect(sent.headers['api-key']).toBe(FOUNDRY_KEY);
      expect(sent.query.get('api-version')).toBe('preview');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('builds base URLs from resource names and endpoints', () => {
    const at = (settings: ConstructorParameters<typeof AzureModel>[1]) =>
      new AzureModel('gpt-4o', { apiKey: 'k', ...settings }).baseURL;
    expect(at({ resourceName: 'my-res' })).toBe('https://my-res.openai.azure.com/openai/v1');
    expect(at({ endpoint: 'https://my-res.openai.azure.com/' })).toBe(
      'https://my-res.openai.azure.com/openai/v1',
    );
    expect(at({ endpoint: 'https://my-res.services.ai.azure.com' })).toBe(
      'https://my-res.services.ai.azure.com/openai/v1',
    );
    expect(at({ endpoint: 'https://my-res.openai.azure.com/openai' })).toBe(
      'https://my-res.openai.azure.com/openai/v1',
    );
    expect(at({ endpoint: 'https://proxy.example.com/azure/openai/v1/' })).toBe(
      'https://proxy.example.com/azure/openai/v1',
    );
    expect(() => new AzureModel('gpt-4o', { service: 'foundry', apiKey: 'k' })).toThrow(
      /AZURE_OPENAI_ENDPOINT/,
    );
  });

  it('embeds with a Foundry embedding deployment', async () => {
    const response = await foundryModel(foundry, 'text-embedding-3-small').embed({
      input: ['a', 'b'],
    });
    expect(foundry.lastRequest()!.path).toBe('/openai/v1/embeddings');
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings[0]).toHaveLength(1536);
  });

  it('checks health by listing models', async () => {
    const result = await foundryModel(foundry).healthCheck();
    expect(foundry.lastRequest()!.path).toBe('/openai/v1/models');
    expect(result.healthy).toBe(true);
  });
});
