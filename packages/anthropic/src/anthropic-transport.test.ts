import { expectDefaultTransport, FakeAnthropicServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { AnthropicModel } from './anthropic-model.js';

const KEY = 'sk-ant-test-0000000000000000';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', async () => {
  const server = new FakeAnthropicServer({ apiKey: KEY });
  await expectDefaultTransport({
    server,
    makeModel: (settings) =>
      new AnthropicModel({
        model: 'claude-haiku-4-5',
        apiKey: KEY,
        baseURL: server.url,
        ...settings,
      }),
  });
});
