import { type ModelRegistry, Orchestrator, type OrchestratorOptions } from '@orchestrator/core';
import type { GatewayConfig } from '../config/config-schema.js';
import type { GatewayContext } from '../gateway-context.js';

/** The engine, configured from the gateway's configuration. */
export function buildOrchestrator(
  config: GatewayConfig,
  registry: ModelRegistry,
  userBudgets: GatewayContext['userBudgets'],
  userLimits: GatewayContext['userLimits'],
  stores: OrchestratorOptions['stores'] | undefined,
): Orchestrator {
  return new Orchestrator({
    registry,
    cache: config.cache.enabled
      ? {
          ...(config.cache.ttlMs === undefined ? {} : { ttlMs: config.cache.ttlMs }),
          ...(config.cache.maxEntries === undefined ? {} : { maxEntries: config.cache.maxEntries }),
        }
      : false,
    limits: {
      ...(config.limits.perModel ? { perModel: clean(config.limits.perModel) } : {}),
      ...(config.limits.perUser ? { perUser: clean(config.limits.perUser) } : {}),
      // The engine reads this object on every request, so keys added later take effect at once.
      overrides: { users: userLimits },
      failMode: config.limits.failMode,
      // Only with a shared store: the in-memory one needs no timer.
      ...(stores?.counters ? { timeoutMs: config.limits.storeTimeoutMs } : {}),
    },
    budgets: {
      ...(config.budgets.maxCostPerRequestUsd === undefined
        ? {}
        : { maxCostPerRequestUsd: config.budgets.maxCostPerRequestUsd }),
      ...(config.budgets.perUser ? { perUser: config.budgets.perUser } : {}),
      users: userBudgets,
      failMode: config.budgets.failMode,
      ...(stores?.ledger ? { timeoutMs: config.budgets.ledgerTimeoutMs } : {}),
    },
    fallback: { maxModels: config.routing.maxModelsPerRequest },
    timeouts: clean(config.timeouts),
    routing: {
      defaultStrategy: config.routing.defaultStrategy,
      ...(config.routing.expectedOutputTokens === undefined
        ? {}
        : { expectedOutputTokens: config.routing.expectedOutputTokens }),
      ...(config.routing.taskRoutes ? { taskRoutes: taskRoutes(config.routing.taskRoutes) } : {}),
    },
    ...(stores ? { stores } : {}),
  });
}

function clean<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

function taskRoutes(routes: NonNullable<GatewayConfig['routing']['taskRoutes']>) {
  const out: Record<string, unknown> = {};
  for (const [task, pref] of Object.entries(routes)) {
    if (!pref) continue;
    out[task] = {
      ...clean({ ...pref, modelPatterns: undefined }),
      ...(pref.modelPatterns
        ? { modelPatterns: pref.modelPatterns.map((p) => new RegExp(p, 'i')) }
        : {}),
    };
  }
  return out as NonNullable<
    NonNullable<ConstructorParameters<typeof Orchestrator>[0]['routing']>['taskRoutes']
  >;
}
