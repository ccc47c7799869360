import { FakeOllamaServer } from '@orchestrator/testing';
import { OllamaModel } from './ollama-model.js';

const MODEL = 'llama3.2';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const PROMPT = { messages: [{ role: 'user' as const, content: 'Say hi.' }], maxTokens: 16 };

describe('the default transport', () => {
  const server = new FakeOllamaServer({ models: [MODEL] });
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it('sends through @orchestrator/transport, not the global fetch, plain and streamed', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const model = new OllamaModel(MODEL, { host: server.url });
      const response = await model.generate(PROMPT);
      expect(response.content.length).toBeGreaterThan(0);
      let text = '';
      for await (const chunk of model.stream(PROMPT)) {
        if (chunk.type === 'error') throw chunk.error;
        if (chunk.type === 'text-delta') text += chunk.text;
      }
      expect(text.length).toBeGreaterThan(0);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('uses a fetch given in the settings instead', async () => {
    const fetch = vi.fn((input: string | URL | Request, init?: RequestInit) =>
      globalThis.fetch(input, init),
    );
    const model = new OllamaModel(MODEL, { host: server.url, fetch });
    await model.generate(PROMPT);
    expect(fetch).toHaveBeenCalled();
  });
});
