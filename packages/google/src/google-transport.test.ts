import { expectDefaultTransport, FakeGeminiServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { GoogleModel } from './google-model.js';

const MODEL = 'gemini-2.5-flash';
const KEY = 'AIza-test-000000000000000000';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', () =>
  expectDefaultTransport({
    server: new FakeGeminiServer({ apiKey: KEY }),
    makeModel: (server, settings) =>
      new GoogleModel({ model: MODEL, apiKey: KEY, baseURL: server.url, ...settings }),
  }));
