import type { ChatRequest } from '@orchestrator/core';
import { OpenAIModel } from '@orchestrator/openai';
import { FakeOpenAIServer } from '@orchestrator/testing';
import OpenAI from 'openai';
import { type Comparison, compareInterleaved, fmt, printTable } from '../harness.js';

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
    const raw = new OpenAI({
      apiKey: KEY,
      baseURL: server.baseURL,
      maxRetries: 0,
      logLevel: 'off',
    });
    const model = new OpenAIModel(MODEL, { apiKey: KEY, baseURL: server.baseURL });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const body = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: PROMPT }],
      max_tokens: 256,
    };

    const plain = await compareInterleaved(
      () => raw.chat.completions.create(body),
      () => model.generate(request),
      { iterations: ITERATIONS },
    );
    const streamed = await compareInterleaved(
      async () => {
        const stream = await raw.chat.completions.create({
          ...body,
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const _chunk of stream) {
          // drain
        }
      },
      async () => {
        for await (const _chunk of model.stream(request)) {
          // drain
        }
      },
      { iterations: ITERATIONS },
    );
    printTable(
      `openai adapter vs raw openai SDK (${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
      [row('generate', plain), row('stream', streamed)],
    );
  } finally {
    await server.close();
  }
}

function row(name: string, c: Comparison): Record<string, string> {
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
}
