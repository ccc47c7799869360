import { AzureModel } from '@orchestrator/azure';
import type { ChatRequest } from '@orchestrator/core';
import { FakeAzureServer } from '@orchestrator/testing';
import OpenAI from 'openai';
import { type Comparison, compareInterleaved, fmt, printTable } from '../harness.js';

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
    const raw = new OpenAI({
      apiKey: TOKEN,
      baseURL: server.baseURL,
      maxRetries: 0,
      logLevel: 'off',
    });
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
      `azure adapter vs raw openai SDK (GitHub Models ${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
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
