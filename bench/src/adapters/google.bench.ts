import { GoogleGenAI } from '@google/genai';
import type { ChatRequest } from '@orchestrator/core';
import { GoogleModel } from '@orchestrator/google';
import { FakeGeminiServer } from '@orchestrator/testing';
import { type Comparison, compareInterleaved, fmt, printTable } from '../harness.js';

const KEY = 'AIzaSyBENCH-000000000000000000000000';
const MODEL = 'gemini-2.5-flash';
const ITERATIONS = 300;
const PROMPT = 'Write a function that reverses a linked list.';

/**
 * The Google adapter's added cost per call over the raw `@google/genai`
 * call, both against the same FakeGeminiServer on loopback, plain and
 * streamed. Both send the same body; the adapter's own work is the request
 * mapping, the per-call signal and tracing fetch, and the response / stream
 * normalization with usage and cost.
 */
export async function run(): Promise<void> {
  const server = new FakeGeminiServer({ apiKey: KEY });
  await server.start();
  try {
    const raw = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.url } });
    const model = new GoogleModel({ model: MODEL, apiKey: KEY, baseURL: server.url });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    const params = {
      model: MODEL,
      contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
      config: { maxOutputTokens: 256 },
    };

    const plain = await compareInterleaved(
      () => raw.models.generateContent(params),
      () => model.generate(request),
      { iterations: ITERATIONS },
    );
    const streamed = await compareInterleaved(
      async () => {
        for await (const _chunk of await raw.models.generateContentStream(params)) {
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
      `google adapter vs raw @google/genai (${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
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
