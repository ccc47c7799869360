import type { ChatChunk } from '@orchestrator/core';
import { FakeHuggingFaceServer, type FakeHuggingFaceServerOptions } from '@orchestrator/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { HuggingFaceModel } from '../huggingface-model.js';
import type { HuggingFaceModelSettings } from '../huggingface-settings.js';

/** A token in the shape HF issues, so the SDK authenticates as `hf-token`. */
export const KEY = 'hf_TestKeyAbcdefghijklmnop0123456789';
export const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';

/** One fake server per test file, its requests and scripts reset before each test. */
export function useFakeServer(options: FakeHuggingFaceServerOptions = {}): {
  server: FakeHuggingFaceServer;
} {
  const holder = { server: new FakeHuggingFaceServer(options) };
  beforeAll(async () => {
    await holder.server.start();
  });
  afterAll(async () => {
    await holder.server.close();
  });
  beforeEach(() => {
    holder.server.requests.length = 0;
    holder.server.clientAborts.length = 0;
    holder.server.clearScripts();
    holder.server.stopLoading();
    holder.server.loadingReplies = 0;
  });
  return holder;
}

/** A model on the fake server as a dedicated endpoint. */
export function endpointModel(
  server: FakeHuggingFaceServer,
  settings: Partial<HuggingFaceModelSettings> = {},
): HuggingFaceModel {
  return new HuggingFaceModel({ model: LLAMA, endpointUrl: server.url, apiKey: KEY, ...settings });
}

/** A model going through the (fake) Inference Providers router and Hub. */
export function routerModel(
  server: FakeHuggingFaceServer,
  settings: Partial<HuggingFaceModelSettings> = {},
): HuggingFaceModel {
  return new HuggingFaceModel({
    model: LLAMA,
    baseURL: server.url,
    hubURL: server.url,
    apiKey: KEY,
    ...settings,
  });
}

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

export function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
}

export const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
