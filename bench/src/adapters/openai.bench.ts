import { type ChatChunk, type ChatRequest, calculateCost, type Warning } from '@orchestrator/core';
import {
  buildOpenAIChatParams,
  getOpenAIModelSpec,
  OpenAIModel,
  OpenAIStreamMapper,
  parseOpenAICompletion,
} from '@orchestrator/openai';
import { FakeOpenAIServer } from '@orchestrator/testing';
import { defaultTransportFetch } from '@orchestrator/transport';
import { fmt, printTable, timeSync } from '../harness.js';
import { benchAdapterOverhead, drain } from './adapter-overhead.js';
import { rawOpenAICalls } from './openai-sdk-calls.js';

const KEY = 'sk-bench-0000000000000000000000';
const MODEL = 'gpt-4o-mini';
const ITERATIONS = 300;
const PROMPT = 'Write a function that reverses a linked list.';

/**
 * The OpenAI adapter's added cost per call over the raw SDK call, both
 * against the same fake server on loopback, plain and streamed. The raw call
 * sends the body the adapter sends, so only the adapter's own work differs:
 * request mapping, signals, response/stream normalization, usage and cost.
 */
export async function run(): Promise<void> {
  const server = new FakeOpenAIServer({ auth: { apiKey: KEY } });
  await server.start();
  try {
    const model = new OpenAIModel(MODEL, { apiKey: KEY, baseURL: server.baseURL });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const body = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: PROMPT }],
      max_tokens: 256,
    };

    printTable('openai adapter: its own mapping work per call (CPU only, no I/O)', [
      await mappingCost(server.baseURL, request, body),
    ]);
    await benchAdapterOverhead({
      name: `openai adapter vs raw openai SDK (${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
      ...rawOpenAICalls(server.baseURL, KEY, body),
      sameTransport: rawOpenAICalls(server.baseURL, KEY, body, defaultTransportFetch),
      adapter: () => model.generate(request),
      adapterStream: () => drain(model.stream(request)),
      iterations: ITERATIONS,
    });
  } finally {
    await server.close();
  }
}

/**
 * What the adapter adds in CPU, free of network and scheduler noise: request
 * mapping, completion parsing and cost, and stream mapping of a recorded
 * stream, each timed in batches.
 */
async function mappingCost(
  baseURL: string,
  request: ChatRequest,
  body: Record<string, unknown>,
): Promise<Record<string, string>> {
  const spec = getOpenAIModelSpec(MODEL);
  const context = {
    modelId: MODEL,
    spec,
    compatibility: 'strict' as const,
    providerOptionKeys: ['openai'],
  };
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const completion: unknown = await (
    await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    })
  ).json();
  const sse = await (
    await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
    })
  ).text();
  const chunks: unknown[] = sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => JSON.parse(e.slice(6)));
  const build = timeSync(() => buildOpenAIChatParams(request, context));
  const parse = timeSync(() => {
    const warnings: Warning[] = [];
    const parsed = parseOpenAICompletion(completion, warnings);
    return parsed && calculateCost(spec.pricing, parsed.usage);
  });
  const stream = timeSync(() => {
    const mapper = new OpenAIStreamMapper({
      provider: 'openai',
      model: MODEL,
      warnings: [],
      cost: (usage) => calculateCost(spec.pricing, usage),
    });
    const out: ChatChunk[] = [];
    for (const chunk of chunks) {
      mapper.push(chunk, out);
      out.length = 0;
    }
    return mapper.end();
  });
  return {
    'build request': fmt(build.medianUs),
    'parse completion + cost': fmt(parse.medianUs),
    [`map stream (${chunks.length} chunks)`]: fmt(stream.medianUs),
  };
}
