import { expectDefaultTransport, FakeAnthropicServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { AnthropicModel } from './anthropic-model.js';

const MODEL = 'claude-haiku-4-5';
const KEY = 'sk-ant-test-0000000000000000';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', () =>
  expectDefaultTransport({
    server: new FakeAnthropicServer({ apiKey: KEY }),
    makeModel: (server, settings) =>
      new AnthropicModel({
        model: MODEL,
        apiKey: KEY,
        baseURL: server.url,
        ...settings,
      }),
  }));
