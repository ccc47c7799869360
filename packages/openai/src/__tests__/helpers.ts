import type { ChatChunk } from '@orchestrator/core';
import { FakeOpenAIServer, type FakeOpenAIServerOptions } from '@orchestrator/testing';
import { OpenAIModel } from '../openai-model.js';
import type { OpenAIModelSettings } from '../openai-settings.js';

/** A key shaped like a real one, so pattern-based redaction alone would not hide a leak of it. */
export const API_KEY = 'sk-proj-TESTKEY0123456789abcdefXYZ';

export async function startServer(
  options: FakeOpenAIServerOptions = {},
): Promise<FakeOpenAIServer> {
  const server = new FakeOpenAIServer({ auth: { apiKey: API_KEY }, ...options });
  await server.start();
  return server;
}

export function modelOn(
  server: FakeOpenAIServer,
  id = 'gpt-4o-mini',
  settings: OpenAIModelSettings = {},
): OpenAIModel {
  return new OpenAIModel(id, { apiKey: API_KEY, baseURL: server.baseURL, ...settings });
}

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
}

/** The request body the fake server recorded last, as an object. */
export function lastBody(server: FakeOpenAIServer): Record<string, unknown> {
  return server.lastRequest()?.body as Record<string, unknown>;
}
