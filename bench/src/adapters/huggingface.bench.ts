import { InferenceClient } from '@huggingface/inference';
import type { ChatRequest } from '@orchestrator/core';
import { HuggingFaceModel, LazyHuggingFaceModel } from '@orchestrator/huggingface';
import { FakeHuggingFaceServer } from '@orchestrator/testing';
import { defaultTransportFetch } from '@orchestrator/transport';
import { benchAdapterOverhead, drain } from './adapter-overhead.js';
import { recordAnswer, replayFetch } from './replay-fetch.js';

const KEY = 'hf_BenchKey000000000000000000000000';
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const ITERATIONS = 300;
const PROMPT = 'Write a function that reverses a linked list.';

/**
 * The Hugging Face adapter's added cost per call over the raw
 * `@huggingface/inference` call, both against the same fake TGI endpoint on
 * loopback, plain and streamed. The raw call sends the body the adapter
 * sends (503 auto-retry off on both), so only the adapter's own work
 * differs: request mapping, signals, the per-call fetch, response/stream
 * normalization, usage and cost. The lazy variant, once warm, adds its
 * single-flight check on top.
 */
export async function run(): Promise<void> {
  const server = new FakeHuggingFaceServer();
  await server.start();
  try {
    const raw = new InferenceClient(KEY, { endpointUrl: server.url, retry_on_error: false });
    const rawOnTransport = new InferenceClient(KEY, {
      endpointUrl: server.url,
      retry_on_error: false,
      fetch: defaultTransportFetch,
    });
    const model = new HuggingFaceModel({ model: MODEL, endpointUrl: server.url, apiKey: KEY });
    const lazy = new LazyHuggingFaceModel({ model: MODEL, endpointUrl: server.url, apiKey: KEY });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const body = { model: MODEL, messages: [{ role: 'user', content: PROMPT }], max_tokens: 256 };

    await benchAdapterOverhead({
      name: `huggingface adapter vs raw @huggingface/inference (${MODEL}, fake TGI endpoint on loopback, ${ITERATIONS} pairs)`,
      raw: () => raw.chatCompletion(body),
      adapter: () => model.generate(request),
      rawStream: () =>
        drain(raw.chatCompletionStream({ ...body, stream_options: { include_usage: true } })),
      adapterStream: () => drain(model.stream(request)),
      sameTransport: {
        raw: () => rawOnTransport.chatCompletion(body),
        rawStream: () =>
          drain(
            rawOnTransport.chatCompletionStream({
              ...body,
              stream_options: { include_usage: true },
            }),
          ),
      },
      extra: [
        {
          case: 'lazy generate (warm)',
          raw: () => raw.chatCompletion(body),
          adapter: () => lazy.generate(request),
        },
        {
          // The adapter always gives fetch a signal (caller's abort + timeout); the plain raw call has none.
          // Against a raw call that carries one too, what remains is the adapter's own work.
          case: 'generate vs raw + timeout signal',
          raw: async () => {
            const controller = new AbortController();
            const timer = setTimeout(() => controller.abort(), 60_000);
            try {
              return await raw.chatCompletion(body, { signal: controller.signal });
            } finally {
              clearTimeout(timer);
            }
          },
          adapter: () => model.generate(request),
        },
      ],
      iterations: ITERATIONS,
    });

    // The same two calls answered from memory (recorded from the fake server), through one
    // fetch on both sides: the adapter's own CPU work, free of socket and loopback noise.
    const record = (stream: boolean) =>
      recordAnswer(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({
          ...body,
          ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        }),
      });
    const plain = await record(false);
    const streamed = await record(true);
    const replay = replayFetch((_url, init) =>
      String(init?.body).includes('"stream":true') ? streamed : plain,
    );
    const rawLocal = new InferenceClient(KEY, {
      endpointUrl: server.url,
      retry_on_error: false,
      fetch: replay,
    });
    const modelLocal = new HuggingFaceModel({
      model: MODEL,
      endpointUrl: server.url,
      apiKey: KEY,
      fetch: replay,
    });
    await benchAdapterOverhead({
      name: `same, answers replayed from memory (no socket, ${ITERATIONS * 2} pairs)`,
      raw: () => rawLocal.chatCompletion(body),
      adapter: () => modelLocal.generate(request),
      rawStream: () =>
        drain(rawLocal.chatCompletionStream({ ...body, stream_options: { include_usage: true } })),
      adapterStream: () => drain(modelLocal.stream(request)),
      iterations: ITERATIONS * 2,
    });
  } finally {
    await server.close();
  }
}
