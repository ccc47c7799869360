import type { ChatChunk } from '@orchestrator/core';
import { FakeGeminiServer, type FakeGeminiServerOptions } from '@orchestrator/testing';
import { GoogleModel } from '../google-model.js';
import type { GoogleModelSettings } from '../google-settings.js';

/** Shaped like a real key, so pattern-based redaction would catch it too; tests check the exact string. */
export const KEY = 'AIzaSyFAKE-0123456789abcdefghijklmnopq';

export async function startServer(
  options: FakeGeminiServerOptions = {},
): Promise<FakeGeminiServer> {
  const server = new FakeGeminiServer({ apiKey: KEY, ...options });
  await server.start();
  return server;
}

export function modelFor(
  server: FakeGeminiServer,
  model = 'gemini-2.5-flash',
  settings: Omit<GoogleModelSettings, 'model'> = {},
): GoogleModel {
  return new GoogleModel({ model, apiKey: KEY, baseURL: server.url, ...settings });
}

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
}
