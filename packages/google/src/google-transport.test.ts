import { expectDefaultTransport, FakeGeminiServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { GoogleModel } from './google-model.js';

const KEY = 'AIza-test-000000000000000000';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', async () => {
  const server = new FakeGeminiServer({ apiKey: KEY });
  await expectDefaultTransport({
    server,
    makeModel: (settings) =>
      new GoogleModel({ model: 'gemini-2.5-flash', apiKey: KEY, baseURL: server.url, ...settings }),
  });
});
