import { expectDefaultTransport, FakeHuggingFaceServer } from '@orchestrator/testing';
import { it } from 'vitest';
import { HuggingFaceModel } from './huggingface-model.js';

const KEY = 'hf_Test000000000000000000000000';
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

it('sends through @orchestrator/transport, never the global fetch (plain and streamed); settings.fetch wins', () =>
  expectDefaultTransport({
    server: new FakeHuggingFaceServer(),
    makeModel: (server, settings) =>
      new HuggingFaceModel({ model: MODEL, endpointUrl: server.url, apiKey: KEY, ...settings }),
  }));
