import type { ChatChunk } from '@orchestrator/core';
import { FakeOllamaServer, type FakeOllamaServerOptions } from '@orchestrator/testing';

export async function startFakeOllama(
  options?: FakeOllamaServerOptions,
): Promise<FakeOllamaServer> {
  const server = new FakeOllamaServer(options);
  await server.start();
  return server;
}

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

export function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
}

/** The body the SDK sent on the last request to `path`, as an object. */
export function lastBody(server: FakeOllamaServer, path: string): Record<string, unknown> {
  const request = server.lastRequest(path);
  if (!request) throw new Error(`no request to ${path}`);
  return request.body as Record<string, unknown>;
}
