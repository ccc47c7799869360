import { GoogleGenAI } from '@google/genai';
import type { ChatRequest } from '@orchestrator/core';
import { GoogleModel } from '@orchestrator/google';
import { FakeGeminiServer } from '@orchestrator/testing';
import { createTransportFetch } from '@orchestrator/transport';
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
    // The transport as the adapter configures it by default (its 300 s header and body limits off).
    const transport = createTransportFetch({ headersTimeoutMs: 0, bodyTimeoutMs: 0 });
    const rawOnTransport = new GoogleGenAI({
      apiKey: KEY,
      httpOptions: { baseUrl: server.url, fetch: transport },
    });
    const model = new GoogleModel({ model: MODEL, apiKey: KEY, baseURL: server.url });
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
    // Built afresh per call, as a caller of the raw SDK would (a reused object flatters the SDK's
    // inline caches by tens of µs that no real workload gets).
    const params = () => ({
      model: MODEL,
      contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
      config: { maxOutputTokens: 256 },
    });

    const plain = await compareInterleaved(
      () => raw.models.generateContent(params()),
      () => model.generate(request),
      { iterations: ITERATIONS },
    );
    const streamed = await compareInterleaved(
      async () => {
        for await (const _chunk of await raw.models.generateContentStream(params())) {
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
    const plainSame = await compareInterleaved(
      () => rawOnTransport.models.generateContent(params()),
      () => model.generate(request),
      { iterations: ITERATIONS },
    );
    const streamedSame = await compareInterleaved(
      async () => {
        for await (const _chunk of await rawOnTransport.models.generateContentStream(params())) {
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
    await transport.close();
    printTable(
      `google adapter vs raw @google/genai (${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
      [
        row('generate', plain),
        row('stream', streamed),
        row('generate, vs raw SDK on the same transport', plainSame),
        row('stream, vs raw SDK on the same transport', streamedSame),
      ],
    );

    // The same comparison without the socket: both sides get a fetch that replays the fake
    // server's recorded answers from memory, so machine noise in the HTTP stack drops out and
    // what is left is the adapter's own CPU work.
    const replay = await recordReplay(server.url, params());
    const rawLocal = new GoogleGenAI({
      apiKey: KEY,
      httpOptions: { baseUrl: server.url, fetch: replay },
    });
    const modelLocal = new GoogleModel({
      model: MODEL,
      apiKey: KEY,
      baseURL: server.url,
      fetch: replay,
    });
    const plainLocal = await compareInterleaved(
      () => rawLocal.models.generateContent(params()),
      () => modelLocal.generate(request),
      { iterations: ITERATIONS * 4 },
    );
    const streamedLocal = await compareInterleaved(
      async () => {
        for await (const _chunk of await rawLocal.models.generateContentStream(params())) {
          // drain
        }
      },
      async () => {
        for await (const _chunk of modelLocal.stream(request)) {
          // drain
        }
      },
      { iterations: ITERATIONS * 4 },
    );
    printTable(
      `google adapter vs raw @google/genai, in-memory replay of the same answers (${ITERATIONS * 4} pairs)`,
      [row('generate', plainLocal), row('stream', streamedLocal)],
    );
  } finally {
    await server.close();
  }
}

/** A fetch answering from memory with what the fake server answered once. */
async function recordReplay(
  baseUrl: string,
  params: { model: string; contents: unknown; config: unknown },
): Promise<(input: RequestInfo | URL) => Promise<Response>> {
  const record = async (path: string) => {
    const response = await fetch(`${baseUrl}/v1beta/models/${params.model}:${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
      body: JSON.stringify({ contents: params.contents, generationConfig: params.config }),
    });
    return {
      body: await response.text(),
      type: response.headers.get('content-type') ?? 'application/json',
    };
  };
  const plain = await record('generateContent');
  const stream = await record('streamGenerateContent?alt=sse');
  return async (input) => {
    const answer = String(input instanceof Request ? input.url : input).includes(
      'streamGenerateContent',
    )
      ? stream
      : plain;
    return new Response(answer.body, { status: 200, headers: { 'content-type': answer.type } });
  };
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
