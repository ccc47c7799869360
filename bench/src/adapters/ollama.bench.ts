import type { ChatRequest } from '@orchestrator/core';
import { OllamaModel } from '@orchestrator/ollama';
import { FakeOllamaServer } from '@orchestrator/testing';
import { defaultTransportFetch } from '@orchestrator/transport';
import { Ollama } from 'ollama';
import { benchAdapterOverhead, drain } from './adapter-overhead.js';
import { recordAnswer, replayFetch } from './replay-fetch.js';

const MODEL = 'llama3.2';
const ITERATIONS = 300;
const PROMPT = 'Write a function that reverses a linked list.';

/**
 * The Ollama adapter's added cost per call over the raw `ollama` SDK call,
 * plain and streamed. The raw call sends the body the adapter sends, so only
 * the adapter's own work differs: request mapping, the per-call client and
 * fetch (signal joining, line counting), response/stream normalization,
 * usage and cost.
 *
 * First against the fake server on loopback (what the issue asks). Then the
 * same two responses, recorded from that server, replayed from memory to
 * both sides through an injected fetch: no socket and no server, so the
 * figure is the adapter's CPU cost without the loopback noise of a shared
 * machine.
 */
export async function run(): Promise<void> {
  const server = new FakeOllamaServer({ models: [MODEL] });
  await server.start();
  const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxTokens: 256 };
  const body = {
    model: MODEL,
    messages: [{ role: 'user', content: PROMPT }],
    options: { num_predict: 256 },
  };
  try {
    await compare(
      `ollama adapter vs raw ollama SDK (${MODEL}, fake server on loopback, ${ITERATIONS} pairs)`,
      new Ollama({ host: server.url }),
      new OllamaModel(MODEL, { host: server.url }),
      new Ollama({ host: server.url, fetch: defaultTransportFetch }),
    );

    const recorded = {
      plain: await record(server.url, false),
      stream: await record(server.url, true),
    };
    const replay = replayFetch((_url, init) =>
      String(init?.body).includes('"stream":true') ? recorded.stream : recorded.plain,
    );
    const host = 'http://127.0.0.1:11434';
    const lines = recorded.stream.body.filter((b) => b === 0x0a).length;
    await compare(
      `same, responses replayed from memory (no socket; stream of ${lines} lines, ${ITERATIONS} pairs)`,
      new Ollama({ host, fetch: replay }),
      new OllamaModel(MODEL, { host, fetch: replay }),
    );
  } finally {
    await server.close();
  }

  function compare(
    name: string,
    raw: Ollama,
    model: OllamaModel,
    rawOnTransport?: Ollama,
  ): Promise<void> {
    return benchAdapterOverhead({
      name,
      raw: () => raw.chat({ ...body, stream: false }),
      adapter: () => model.generate(request),
      rawStream: () => drain(raw.chat({ ...body, stream: true })),
      adapterStream: () => drain(model.stream(request)),
      ...(rawOnTransport
        ? {
            sameTransport: {
              raw: () => rawOnTransport.chat({ ...body, stream: false }),
              rawStream: () => drain(rawOnTransport.chat({ ...body, stream: true })),
            },
          }
        : {}),
      iterations: ITERATIONS,
    });
  }

  function record(url: string, stream: boolean) {
    return recordAnswer(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream }),
    });
  }
}
