import { FakeOpenAIServer } from '@orchestrator/testing';
import { createTransportFetch } from '@orchestrator/transport';
import { compareInterleaved, fmt, printTable } from '../harness.js';

const KEY = 'sk-bench-0000000000000000000000';
const ITERATIONS = 400;

/**
 * @orchestrator/transport against Node's global fetch on loopback, one
 * request at a time, interleaved pair by pair: a chat completion read as
 * JSON, and a streamed one read to its end. The negative "added" is what the
 * transport saves per call.
 */
export async function run(): Promise<void> {
  const server = new FakeOpenAIServer({ auth: { apiKey: KEY } });
  await server.start();
  const transport = createTransportFetch();
  try {
    const url = `${server.baseURL}/chat/completions`;
    const init = (stream: boolean): RequestInit => ({
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Write a function that reverses a linked list.' }],
        max_tokens: 256,
        ...(stream ? { stream: true } : {}),
      }),
      // SDKs always pass a signal of their own; so does this bench.
      signal: new AbortController().signal,
    });
    const json = (f: typeof fetch) => async () => (await f(url, init(false))).json();
    const drained = (f: typeof fetch) => async () => {
      const body = (await f(url, init(true))).body;
      if (!body) throw new Error('no body');
      const reader = body.getReader();
      while (!(await reader.read()).done) {
        // drain
      }
    };
    const rows: Record<string, string>[] = [];
    for (const [name, a, b] of [
      ['JSON response', json(fetch), json(transport)],
      ['SSE stream, drained', drained(fetch), drained(transport)],
    ] as const) {
      const c = await compareInterleaved(a, b, { iterations: ITERATIONS, warmup: 100 });
      rows.push({
        case: name,
        'global fetch median': fmt(c.baseline.medianUs),
        'transport median': fmt(c.candidate.medianUs),
        'added median': fmt(c.addedMedianUs),
        'added p99': fmt(c.addedP99Us),
        ratio: c.ratio.toFixed(3),
      });
    }
    printTable(
      `@orchestrator/transport vs global fetch (fake OpenAI server on loopback, ${ITERATIONS} pairs)`,
      rows,
    );
  } finally {
    await transport.close();
    await server.close();
  }
}
