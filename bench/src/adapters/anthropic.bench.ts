import Anthropic from '@anthropic-ai/sdk';
import { AnthropicModel } from '@orchestrator/anthropic';
import type { ChatRequest } from '@orchestrator/core';
import { FakeAnthropicServer } from '@orchestrator/testing';
import { compareInterleaved, fmt, printTable } from '../harness.js';

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
    const model = new AnthropicModel({ model: MODEL, apiKey: KEY, baseURL: server.url });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const body = {
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: PROMPT }] }],
    };

    const plain = await compareInterleaved(
      () => raw.messages.create(body),
      () => model.generate(request),
      { iterations: ITERATIONS, warmup: 100 },
    );
    const streamed = await compareInterleaved(
      async () => {
        for await (const _event of await raw.messages.create({ ...body, stream: true })) {
          // drain
        }
      },
      async () => {
        for await (const _chunk of model.stream(request)) {
          // drain
        }
      },
      { iterations: ITERATIONS, warmup: 100 },
    );

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
    const plainSignal = await compareInterleaved(
      () => withSignal((signal) => raw.messages.create(body, { signal })),
      () => model.generate(request),
      { iterations: ITERATIONS, warmup: 100 },
    );
    const streamedSignal = await compareInterleaved(
      () =>
        withSignal(async (signal) => {
          for await (const _event of await raw.messages.create(
            { ...body, stream: true },
            { signal },
          )) {
            // drain
          }
        }),
      async () => {
        for await (const _chunk of model.stream(request)) {
          // drain
        }
      },
      { iterations: ITERATIONS, warmup: 100 },
    );

    const row = (name: string, c: typeof plain) => {
      const target = Math.max(50, c.baseline.medianUs * 0.05);
      return {
        case: name,
        'raw SDK median': fmt(c.baseline.medianUs),
        'adapter median': fmt(c.candidate.medianUs),
        'added median': fmt(c.addedMedianUs),
        'added p99': fmt(c.addedP99Us),
        ratio: c.ratio.toFixed(3),
        target: `≤ ${fmt(target)}`,
        met: c.addedMedianUs <= target ? 'yes' : 'no',
      };
    };
    printTable(
      `Anthropic adapter overhead over @anthropic-ai/sdk (${ITERATIONS} interleaved pairs)`,
      [
        row('messages (plain)', plain),
        row('messages (streamed)', streamed),
        row('plain, vs raw SDK + signal', plainSignal),
        row('streamed, vs raw SDK + signal', streamedSignal),
      ],
    );
  } finally {
    await server.close();
  }
}
