import type { Capability, ModelPricing, Orchestrator } from '@orchestrator/core';
import type { GatewayStore } from '@orchestrator/postgres';
import type { Fault, Fleet, LazyState, ProviderStatus } from '../simulated/index.js';
import type { EventFeed, FeedCounters } from './event-feed.js';
import type { SeriesPoint, TimeSeries } from './time-series.js';

export interface ModelRow {
  readonly model: string;
  readonly provider: string;
  /** The fleet provider (GitHub Models, OpenAI…) when the model is one of the demo fleet. */
  readonly fleetProvider: string | undefined;
  readonly simulated: boolean;
  readonly fault: Fault | undefined;
  readonly features: readonly Capability[];
  readonly pricing: ModelPricing;
  readonly requests: number;
  readonly successRate: number;
  readonly latencyP50Ms: number | undefined;
  readonly latencyP95Ms: number | undefined;
  readonly tokensPerSecond: number | undefined;
  readonly totalCostUsd: number;
  readonly meanReward: number | undefined;
  readonly breaker: string;
  readonly status: string;
}

export interface UserRow {
  readonly user: string;
  readonly requests: number;
  readonly spentUsd: number;
  readonly budget: {
    readonly limitUsd: number;
    readonly spentUsd: number;
    readonly remainingUsd: number;
    readonly period: string;
  } | null;
}

export interface DashboardSnapshot {
  readonly generatedAt: number;
  /** True when any provider is simulated: the page labels its figures accordingly. */
  readonly simulated: boolean;
  readonly models: readonly ModelRow[];
  readonly providers: readonly ProviderStatus[];
  readonly lazy: readonly LazyState[];
  readonly counters: FeedCounters & { readonly cacheHitRate: number | undefined };
  readonly users: readonly UserRow[];
  readonly series: readonly SeriesPoint[];
  readonly storage: string;
  readonly auth: boolean;
}

export interface SnapshotSources {
  readonly orchestrator: Orchestrator;
  readonly store: GatewayStore;
  readonly fleet: Fleet | undefined;
  readonly feed: EventFeed;
  readonly series: TimeSeries;
  readonly auth: boolean;
}

const MAX_USERS = 12;

/** Everything the dashboard shows, in one JSON document. */
export async function dashboardSnapshot(src: SnapshotSources): Promise<DashboardSnapshot> {
  const { orchestrator, fleet, feed } = src;
  const faults = new Map(fleet?.providers().map((p) => [p.provider, p.fault]) ?? []);
  const models: ModelRow[] = orchestrator.modelAnalytics().map((a) => {
    const model = orchestrator.registry.get(a.model);
    const fleetProvider = fleet?.providerOf(a.model);
    return {
      model: a.model,
      provider: a.provider,
      fleetProvider,
      simulated: fleetProvider !== undefined && fleet?.isSimulated(fleetProvider) === true,
      fault: fleetProvider === undefined ? undefined : faults.get(fleetProvider),
      features: model.capabilities.features,
      pricing: model.pricing,
      requests: a.requests,
      successRate: a.successRate,
      latencyP50Ms: a.latencyP50Ms,
      latencyP95Ms: a.latencyP95Ms,
      tokensPerSecond: a.tokensPerSecond,
      totalCostUsd: a.totalCostUsd,
      meanReward: a.meanReward,
      breaker: a.breaker,
      status: a.status,
    };
  });
  const c = feed.counters;
  const lookups = c.cacheHits + c.cacheMisses;
  return {
    generatedAt: Date.now(),
    simulated: models.some((m) => m.simulated),
    models,
    providers: fleet?.providers() ?? [],
    lazy: fleet?.lazyStates() ?? [],
    counters: { ...c, cacheHitRate: lookups === 0 ? undefined : c.cacheHits / lookups },
    users: await users(src),
    series: src.series.list(),
    storage: src.store.kind,
    auth: src.auth,
  };
}

async function users(src: SnapshotSources): Promise<UserRow[]> {
  const keys = await src.store.keys.list();
  const names = new Set<string>(src.auth ? [] : ['local']);
  for (const key of keys) if (key.revokedAt === null) names.add(key.user);
  const rows = await Promise.all(
    [...names].slice(0, MAX_USERS).map(async (user): Promise<UserRow> => {
      const a = await src.orchestrator.userAnalytics(user);
      return {
        user,
        requests: a.requests,
        spentUsd: a.spentUsd,
        budget: a.budget
          ? {
              limitUsd: a.budget.limitUsd,
              spentUsd: a.budget.spentUsd,
              remainingUsd: a.budget.remainingUsd,
              period: a.budget.period,
            }
          : null,
      };
    }),
  );
  return rows.sort((a, b) => b.spentUsd - a.spentUsd);
}
