import { expectDefaultTransport, FakeOpenAIServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { OpenAIModel } from './openai-model.js';

const KEY = 'sk-test-000000000000000000';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', () =>
  expectDefaultTransport({
    server: new FakeOpenAIServer({ auth: { apiKey: KEY } }),
    makeModel: (server, settings) =>
      new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: server.baseURL, ...settings }),
  }));
