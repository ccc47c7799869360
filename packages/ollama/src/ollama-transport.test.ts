import { expectDefaultTransport, FakeOllamaServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { OllamaModel } from './ollama-model.js';

const MODEL = 'llama3.2';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', () =>
  expectDefaultTransport({
    server: new FakeOllamaServer({ models: [MODEL] }),
    makeModel: (server, settings) => new OllamaModel(MODEL, { host: server.url, ...settings }),
  }));
