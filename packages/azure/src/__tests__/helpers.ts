import type { ChatChunk } from '@orchestrator/core';
import { FakeAzureServer, type FakeAzureServerOptions } from '@orchestrator/testing';
import { AzureModel } from '../azure-model.js';
import type { AzureModelSettings } from '../azure-settings.js';

/** Shaped like real credentials, so a leak would not be hidden by pattern-based redaction alone. */
export const GITHUB_TOKEN = 'github_pat_11TESTTOKEN0123456789abcdefghijklmnop';
export const FOUNDRY_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export async function startGitHub(options: FakeAzureServerOptions = {}): Promise<FakeAzureServer> {
  const server = new FakeAzureServer({ service: 'github', apiKey: GITHUB_TOKEN, ...options });
  await server.start();
  return server;
}

export async function startFoundry(options: FakeAzureServerOptions = {}): Promise<FakeAzureServer> {
  const server = new FakeAzureServer({ service: 'foundry', apiKey: FOUNDRY_KEY, ...options });
  await server.start();
  return server;
}

export function githubModel(
  server: FakeAzureServer,
  id = 'openai/gpt-4o-mini',
  settings: AzureModelSettings = {},
): AzureModel {
  return new AzureModel(id, {
    service: 'github',
    apiKey: GITHUB_TOKEN,
    baseURL: server.baseURL,
    ...settings,
  });
}

export function foundryModel(
  server: FakeAzureServer,
  id = 'gpt-4o',
  settings: AzureModelSettings = {},
): AzureModel {
  return new AzureModel(id, {
    service: 'foundry',
    apiKey: FOUNDRY_KEY,
    baseURL: server.baseURL,
    ...settings,
  });
}

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
}
