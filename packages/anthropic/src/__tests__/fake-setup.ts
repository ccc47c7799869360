import type { ChatChunk } from '@orchestrator/core';
import { FakeAnthropicServer } from '@orchestrator/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { AnthropicModel, type AnthropicModelSettings } from '../anthropic-model.js';

export const API_KEY = 'sk-ant-api03-TESTKEY0123456789abcdefghij';
export const MODEL = 'claude-haiku-4-5';

/** Starts a fake Anthropic server for the file's tests and clears its state between them. */
export function useFakeAnthropic(): {
  readonly server: FakeAnthropicServer;
  model: (settings?: Partial<AnthropicModelSettings>) => AnthropicModel;
} {
  const server = new FakeAnthropicServer({ apiKey: API_KEY });
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.clearScripts();
    server.requests.length = 0;
  });
  return {
    server,
    model: (settings = {}) =>
      new AnthropicModel({ model: MODEL, apiKey: API_KEY, baseURL: server.url, ...settings }),
  };
}

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
}

/** The JSON body of the last `/v1/messages` request. */
export function lastBody(server: FakeAnthropicServer): Record<string, unknown> {
  return server.lastRequest('/v1/messages')?.body as Record<string, unknown>;
}

/** The error of an error chunk, or undefined for any other chunk. */
export function errorOf(chunk: ChatChunk | undefined): unknown {
  return chunk?.type === 'error' ? chunk.error : undefined;
}
