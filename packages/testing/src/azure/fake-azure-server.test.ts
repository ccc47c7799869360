import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAzureServer } from './fake-azure-server.js';

const KEY = 'azure-key-0123456789';
let github: FakeAzureServer;
let foundry: FakeAzureServer;
beforeAll(async () => {
  github = new FakeAzureServer({ service: 'github', apiKey: KEY });
  foundry = new FakeAzureServer({ service: 'foundry', apiKey: KEY });
  await Promise.all([github.start(), foundry.start()]);
});
afterAll(() => Promise.all([github.close(), foundry.close()]));

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

describe('FakeAzureServer', () => {
  it('serves GitHub Models under /inference with Bearer auth, and the catalogue', async () => {
    expect(github.baseURL).toBe(`${github.url}/inference`);
    const ok = await fetch(`${github.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(chat),
    });
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body.prompt_filter_results).toBeDefined();
    expect((body.choices as Record<string, unknown>[])[0]!.content_filter_results).toBeDefined();

    const denied = await fetch(`${github.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chat),
    });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({
      error: {
        code: 'unauthorized',
        message: 'Requires authentication',
        details: 'Requires authentication',
      },
    });

    const catalog = (await (
      await fetch(`${github.url}/catalog/models`, { headers: { authorization: `Bearer ${KEY}` } })
    ).json()) as {
      id: string;
      publisher: string;
    }[];
    expect(catalog.map((m) => m.id)).toContain('mistral-ai/codestral-2501');
    expect(catalog.find((m) => m.id === 'meta/meta-llama-3.1-405b-instruct')?.publisher).toBe(
      'Meta',
    );
  });

  it('serves Foundry under /openai/v1 with the api-key header, streams with a leading filter chunk', async () => {
    expect(foundry.baseURL).toBe(`${foundry.url}/openai/v1`);
    const response = await fetch(`${foundry.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const events = (await response.text()).split('\n\n').filter(Boolean);
    const first = JSON.parse(events[0]!.slice(6)) as Record<string, unknown>;
    expect(first).toMatchObject({
      choices: [],
      id: '',
      prompt_filter_results: [{ prompt_index: 0 }],
    });
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('sends content-filter errors with the inner error', async () => {
    foundry.enqueue({ status: 400, errorType: 'content_filter' });
    const response = await fetch(`${foundry.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify(chat),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'content_filter',
        status: 400,
        innererror: { code: 'ResponsibleAIPolicyViolation' },
      },
    });
  });
});
