import { Writable } from 'node:stream';
import type { Model } from '@orchestrator/core';
import {
  createMemoryStore,
  type GatewayStore,
  type MemoryGatewayStore,
} from '@orchestrator/postgres';
import { FakeAnthropicServer, FakeOpenAIServer } from '@orchestrator/testing';
import { createApiKey } from '../auth/api-keys.js';
import type { GatewayConfigInput } from '../config/config-schema.js';
import { createServer, type GatewayServer } from '../create-server.js';

export const OPENAI_KEY = 'sk-proj-UPSTREAMOPENAI0123456789abcdef';
export const ANTHROPIC_KEY = 'sk-ant-api03-UPSTREAMANTHROPIC0123456789';
export const ADMIN_KEY = 'admin-key-0123456789abcdefghijklmnop';

export interface Harness {
  readonly gateway: GatewayServer;
  readonly url: string;
  readonly openai: FakeOpenAIServer;
  readonly anthropic: FakeAnthropicServer;
  readonly store: MemoryGatewayStore;
  /** The store the gateway uses (the memory one unless another was given). */
  readonly anyStore: GatewayStore;
  readonly logs: string[];
  /** A fresh client key for `user`. */
  key(
    user: string,
    extra?: Parameters<typeof createApiKey>[1] extends infer O ? Partial<O> : never,
  ): Promise<string>;
  close(): Promise<void>;
}

/** A gateway on loopback whose upstreams are the fake OpenAI and Anthropic servers, through the real adapters. */
export async function startHarness(
  config: Partial<GatewayConfigInput> = {},
  extra: { models?: readonly Model[]; store?: MemoryGatewayStore; sqlStore?: GatewayStore } = {},
): Promise<Harness> {
  const openai = new FakeOpenAIServer({ auth: { apiKey: OPENAI_KEY } });
  const anthropic = new FakeAnthropicServer({ apiKey: ANTHROPIC_KEY });
  await openai.start();
  await anthropic.start();
  const store = extra.store ?? createMemoryStore();
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const gateway = await createServer(
    {
      ...config,
      server: { logLevel: 'info', shutdownGraceMs: 2_000, ...config.server },
      auth: { adminKey: ADMIN_KEY, ...config.auth },
      providers: {
        openai: { baseURL: openai.baseURL, allowLoopback: true },
        anthropic: { baseURL: anthropic.url, allowLoopback: true },
      },
      models: [
        { name: 'gpt-4o-mini', provider: 'openai', modelId: 'gpt-4o-mini' },
        { name: 'claude-haiku', provider: 'anthropic', modelId: 'claude-3-5-haiku-20241022' },
        { name: 'embedder', provider: 'openai', modelId: 'text-embedding-3-small' },
      ],
    } as GatewayConfigInput,
    {
      store: extra.sqlStore ?? store,
      env: { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      logStream,
      ...(extra.models ? { models: extra.models } : {}),
    },
  );
  const url = await gateway.listen({ port: 0, host: '127.0.0.1' });
  return {
    gateway,
    url,
    openai,
    anthropic,
    store,
    anyStore: extra.sqlStore ?? store,
    logs,
    async key(user, more = {}) {
      return (await createApiKey(extra.sqlStore ?? store, { user, ...more })).key;
    },
    async close() {
      await gateway.close();
      await openai.close();
      await anthropic.close();
    },
  };
}
