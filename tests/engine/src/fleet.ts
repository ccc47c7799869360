import {
  ModelHealthMonitor,
  type ModelPricing,
  ModelRegistry,
  Orchestrator,
  type OrchestratorOptions,
} from '@orchestrator/core';
import { OpenAIModel } from '@orchestrator/openai';
import { FakeOpenAIServer, type ModelProfile } from '@orchestrator/testing';

export interface Fleet {
  readonly server: FakeOpenAIServer;
  readonly registry: ModelRegistry;
  readonly engine: Orchestrator;
  close(): Promise<void>;
}

export interface FleetModel {
  readonly name: string;
  readonly id: string;
  readonly quality: number;
  readonly pricing?: ModelPricing;
  readonly profile?: ModelProfile;
}

/** Real OpenAIModels (real SDK) against one fake OpenAI server on loopback, behind an Orchestrator. */
export async function fleet(
  models: readonly FleetModel[],
  options: Partial<OrchestratorOptions> = {},
): Promise<Fleet> {
  const profiles = Object.fromEntries(
    models.filter((m) => m.profile).map((m) => [m.id, m.profile!]),
  );
  const server = new FakeOpenAIServer({ seed: 7, profiles });
  await server.start();
  const registry = new ModelRegistry({
    healthMonitor: new ModelHealthMonitor({ failureThreshold: 5, breakDurationMs: 60_000 }),
  });
  for (const m of models) {
    registry.register(
      new OpenAIModel(m.id, {
        name: m.name,
        apiKey: 'sk-test-key-123456',
        baseURL: server.baseURL,
        capabilities: { qualityScore: m.quality },
        ...(m.pricing ? { pricing: m.pricing } : {}),
      }),
    );
  }
  const engine = new Orchestrator({
    registry,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  return { server, registry, engine, close: () => server.close() };
}

export const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
