import { AzureModel } from '@orchestrator/azure';
import type { ChatRequest } from '@orchestrator/core';
import { FakeAzureServer } from '@orchestrator/testing';
import { defaultTransportFetch } from '@orchestrator/transport';
import { benchAdapterOverhead, drain } from './adapter-overhead.js';
import { rawOpenAICalls } from './openai-sdk-calls.js';

const TOKEN = 'github_pat_bench000000000000000000000000';
const MODEL = 'mistral-ai/mistral-large-2411';
const ITERATIONS = 300;
const PROMPT = 'Write a function that reverses a linked list.';

/**
 * The Azure adapter's added cost per call over the raw `openai` SDK call,
 * both against the same fake GitHub Models server on loopback, plain and
 * streamed, with the body the adapter sends.
 */
export async function run(): Promise<void> {
  const server = new FakeAzureServer({ service: 'github', apiKey: TOKEN });
  await server.start();
  try {
    const model = new AzureModel(MODEL, {
      service: 'github',
      apiKey: TOKEN,
      baseURL: server.baseURL,
    });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const body = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: PROMPT }],
      max_tokens: 256,
    };

    await benchAdapterOverhead({
      name: `azure adapter vs raw openai SDK (GitHub Models ${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
      ...rawOpenAICalls(server.baseURL, TOKEN, body),
      sameTransport: rawOpenAICalls(server.baseURL, TOKEN, body, defaultTransportFetch),
      adapter: () => model.generate(request),
      adapterStream: () => drain(model.stream(request)),
      iterations: ITERATIONS,
    });
  } finally {
    await server.close();
  }
}
