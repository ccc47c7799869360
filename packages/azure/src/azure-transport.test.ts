import { expectDefaultTransport, FakeAzureServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { AzureModel } from './azure-model.js';

const KEY = 'github_pat_test0000000000000000000000';
const MODEL = 'mistral-ai/mistral-large-2411';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', () =>
  expectDefaultTransport({
    server: new FakeAzureServer({ service: 'github', apiKey: KEY }),
    makeModel: (server, settings) =>
      new AzureModel(MODEL, {
        service: 'github',
        apiKey: KEY,
        baseURL: server.baseURL,
        ...settings,
      }),
  }));
