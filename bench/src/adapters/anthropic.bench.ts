import Anthropic from '@anthropic-ai/sdk';
import { AnthropicModel } from '@orchestrator/anthropic';
import type { ChatRequest } from '@orchestrator/core';
import { FakeAnthropicServer } from '@orchestrator/testing';
import { defaultTransportFetch } from '@orchestrator/transport';
import { benchAdapterOverhead, drain } from './adapter-overhead.js';
import { recordAnswer, replayFetch } from './replay-fetch.js';

const KEY = 'sk-ant-bench-0000000000000000';
const MODEL = 'claude-haiku-4-5';
const ITERATIONS = 300;
const PROMPT = 'Write a function that reverses a linked list.';

/**
 * The Anthropic adapter's added cost per call over the raw SDK call, both
 * against the same fake server on loopback, plain and streamed. The raw call
 * sends the body the adapter sends, so only the adapter's own work differs:
 * request mapping, signals, response/stream normalization, usage and cost.
 */
export async function run(): Promise<void> {
  const server = new FakeAnthropicServer({ apiKey: KEY });
  await server.start();
  try {
    const raw = new Anthropic({
      apiKey: KEY,
      baseURL: server.url,
      maxRetries: 0,
      logLevel: 'off',
      timeout: 601_000,
    });
    const rawOnTransport = new Anthropic({
      apiKey: KEY,
      baseURL: server.url,
      maxRetries: 0,
      logLevel: 'off',
      timeout: 601_000,
      fetch: defaultTransportFetch,
    });
    const model = new AnthropicModel({ model: MODEL, apiKey: KEY, baseURL: server.url });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const body = {
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: PROMPT }] }],
    };

    // The adapter always runs a call under a signal (caller's cancellation +
    // timeout); the SDK's own handling of any signal costs tens of µs, so the
    // same comparison against a raw call with a signal shows the adapter's own share.
    const withSignal = async <T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 600_000);
      try {
        return await fn(controller.signal);
      } finally {
        clearTimeout(timer);
      }
    };
    await benchAdapterOverhead({
      name: `Anthropic adapter overhead over @anthropic-ai/sdk (${ITERATIONS} interleaved pairs)`,
      labels: ['messages (plain)', 'messages (streamed)'],
      raw: () => raw.messages.create(body),
      adapter: () => model.generate(request),
      rawStream: () => drain(raw.messages.create({ ...body, stream: true })),
      adapterStream: () => drain(model.stream(request)),
      sameTransport: {
        raw: () => rawOnTransport.messages.create(body),
        rawStream: () => drain(rawOnTransport.messages.create({ ...body, stream: true })),
      },
      extra: [
        {
          case: 'plain, vs raw SDK + signal',
          raw: () => withSignal((signal) => raw.messages.create(body, { signal })),
          adapter: () => model.generate(request),
        },
        {
          case: 'streamed, vs raw SDK + signal',
          raw: () =>
            withSignal((signal) =>
              drain(raw.messages.create({ ...body, stream: true }, { signal })),
            ),
          adapter: () => drain(model.stream(request)),
        },
      ],
      iterations: ITERATIONS,
      warmup: 100,
    });

    // The same two calls answered from memory (recorded from the fake server), through one
    // fetch on both sides: the adapter's own CPU work (request mapping, event mapping, signal),
    // free of socket and loopback noise.
    const record = (stream: boolean) =>
      recordAnswer(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': KEY,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({ ...body, ...(stream ? { stream: true } : {}) }),
      });
    const plain = await record(false);
    const streamed = await record(true);
    const replay = replayFetch((_url, init) =>
      String(init?.body).includes('"stream":true') ? streamed : plain,
    );
    const rawLocal = new Anthropic({
      apiKey: KEY,
      baseURL: server.url,
      maxRetries: 0,
      logLevel: 'off',
      timeout: 601_000,
      fetch: replay,
    });
    const modelLocal = new AnthropicModel({
      model: MODEL,
      apiKey: KEY,
      baseURL: server.url,
      fetch: replay,
    });
    await benchAdapterOverhead({
      name: `same, answers replayed from memory (no socket, ${ITERATIONS * 2} pairs)`,
      labels: ['messages (plain)', 'messages (streamed)'],
      raw: () => rawLocal.messages.create(body),
      adapter: () => modelLocal.generate(request),
      rawStream: () => drain(rawLocal.messages.create({ ...body, stream: true })),
      adapterStream: () => drain(modelLocal.stream(request)),
      iterations: ITERATIONS * 2,
    });
  } finally {
    await server.close();
  }
}
