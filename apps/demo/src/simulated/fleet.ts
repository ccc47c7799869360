import { EventEmitter } from 'node:events';
import type { Model } from '@orchestrator/core';
import type { ColdStartEvent } from '@orchestrator/huggingface';
import type { LazyOllamaEvent } from '@orchestrator/ollama';
import type { FakeServer } from '@orchestrator/testing';
import { buildFleetModel } from './build-fleet-model.js';
import { adapterBaseURL, startFakeServer } from './fake-servers.js';
import { type Fault, faultScript } from './fault-scripts.js';
import {
  FLEET,
  FLEET_PROVIDERS,
  type FleetModelSpec,
  type FleetProvider,
  PROVIDER_LABELS,
} from './fleet-catalogue.js';
import { type Env, type ProviderMode, resolveProviderModes } from './provider-env.js';

/** Where a lazily loaded model stands: an Ollama pull or a Hugging Face cold start. */
export interface LazyState {
  readonly model: string;
  readonly kind: 'ollama-pull' | 'hf-cold-start';
  readonly state: 'idle' | 'loading' | 'ready' | 'failed';
  /** 0–1 for pulls; undefined when unknown. */
  readonly progress: number | undefined;
  readonly detail: string;
}

export interface ProviderStatus {
  readonly provider: FleetProvider;
  readonly label: string;
  readonly simulated: boolean;
  /** For a live provider: the variable that switched it on. */
  readonly keyVariable: string | undefined;
  readonly fault: Fault | undefined;
  readonly models: readonly string[];
}

export interface FleetEvents {
  lazy: [LazyState];
  fault: [{ provider: FleetProvider; fault: Fault | undefined }];
}

export interface FleetOptions {
  readonly env?: Env;
  readonly seed?: number;
  /** Scales simulated latencies (1 = realistic; tests use 0). */
  readonly timeScale?: number;
  /** No random failures or rate limits (tests). */
  readonly reliable?: boolean;
  /** Only these providers (default all). */
  readonly providers?: readonly FleetProvider[];
}

// Fake servers keep every request they saw (tests assert on them); a long-running demo trims them.
const REQUEST_LOG_TRIM_MS = 30_000;

/**
 * The demo's model fleet: for every provider without a key, its fake server
 * on loopback; for every model, the real adapter (and SDK) pointed at the
 * fake or at the real service. Faults can be injected per simulated
 * provider and cleared again.
 */
export class Fleet extends EventEmitter<FleetEvents> {
  readonly models: readonly Model[];
  readonly specs: readonly FleetModelSpec[];
  private readonly servers: ReadonlyMap<FleetProvider, FakeServer>;
  private readonly modes: Readonly<Record<FleetProvider, ProviderMode>>;
  private readonly faults = new Map<FleetProvider, Fault>();
  private readonly lazy = new Map<string, LazyState>();
  private readonly trimTimer: NodeJS.Timeout;

  private constructor(
    specs: readonly FleetModelSpec[],
    modes: Record<FleetProvider, ProviderMode>,
    servers: Map<FleetProvider, FakeServer>,
    timeScale: number,
  ) {
    super();
    this.specs = specs;
    this.modes = modes;
    this.servers = servers;
    this.models = specs.map((spec) => {
      const server = servers.get(spec.provider);
      return buildFleetModel(spec, {
        mode: modes[spec.provider],
        fakeBaseURL: server ? adapterBaseURL(server) : undefined,
        onLazyEvent: (model, event) => this.onLazy(model, event),
        timeScale,
      });
    });
    for (const spec of specs) {
      if (spec.provider === 'ollama' || spec.provider === 'huggingface') {
        this.lazy.set(spec.name, {
          model: spec.name,
          kind: spec.provider === 'ollama' ? 'ollama-pull' : 'hf-cold-start',
          state: 'idle',
          progress: undefined,
          detail:
            spec.provider === 'ollama'
              ? 'not pulled yet: the first request pulls it'
              : 'scaled to zero: the first request wakes it',
        });
      }
    }
    this.trimTimer = setInterval(() => {
      for (const server of this.servers.values()) server.requests.length = 0;
    }, REQUEST_LOG_TRIM_MS);
    this.trimTimer.unref();
  }

  /** Starts the fake servers the environment calls for and builds every model. */
  static async start(options: FleetOptions = {}): Promise<Fleet> {
    const modes = resolveProviderModes(options.env ?? process.env);
    const wanted = new Set(options.providers ?? FLEET_PROVIDERS);
    const specs = FLEET.filter((s) => wanted.has(s.provider));
    const servers = new Map<FleetProvider, FakeServer>();
    const timeScale = options.timeScale ?? 1;
    try {
      await Promise.all(
        [...wanted]
          .filter((p) => modes[p].mode === 'simulated')
          .map(async (provider) => {
            servers.set(
              provider,
              await startFakeServer(provider, {
                ...(options.seed === undefined ? {} : { seed: options.seed }),
                timeScale,
                reliable: options.reliable === true,
              }),
            );
          }),
      );
    } catch (error) {
      await Promise.all([...servers.values()].map((s) => s.close()));
      throw error;
    }
    return new Fleet(specs, modes, servers, timeScale);
  }

  isSimulated(provider: FleetProvider): boolean {
    return this.modes[provider].mode === 'simulated';
  }

  /** The fleet provider a registered model belongs to. */
  providerOf(modelName: string): FleetProvider | undefined {
    return this.specs.find((s) => s.name === modelName)?.provider;
  }

  /** The fake server of a simulated provider (tests and the fault controls use it). */
  fakeServer(provider: FleetProvider): FakeServer | undefined {
    return this.servers.get(provider);
  }

  /** Makes a simulated provider fail every call (`outage`), crawl (`slow`) or 429 (`rate_limit`) until recovered. */
  inject(provider: FleetProvider, fault: Fault): void {
    const server = this.servers.get(provider);
    if (!server)
      throw new Error(
        `${PROVIDER_LABELS[provider]} is not simulated; faults apply to simulated providers only.`,
      );
    server.clearScripts();
    server.enqueue(faultScript(provider, fault));
    this.faults.set(provider, fault);
    this.emit('fault', { provider, fault });
  }

  /** Ends an injected fault. */
  recover(provider: FleetProvider): void {
    const server = this.servers.get(provider);
    if (!server) return;
    // Dropping every script also drops a not-yet-used pull pacing script; that only makes a pull faster.
    server.clearScripts();
    this.faults.delete(provider);
    this.emit('fault', { provider, fault: undefined });
  }

  providers(): ProviderStatus[] {
    const present = new Set(this.specs.map((s) => s.provider));
    return FLEET_PROVIDERS.filter((p) => present.has(p)).map((provider) => {
      const mode = this.modes[provider];
      return {
        provider,
        label: PROVIDER_LABELS[provider],
        simulated: mode.mode === 'simulated',
        keyVariable: mode.mode === 'live' ? mode.keyVariable : undefined,
        fault: this.faults.get(provider),
        models: this.specs.filter((s) => s.provider === provider).map((s) => s.name),
      };
    });
  }

  lazyStates(): LazyState[] {
    return [...this.lazy.values()];
  }

  async close(): Promise<void> {
    clearInterval(this.trimTimer);
    await Promise.all([...this.servers.values()].map((s) => s.close()));
  }

  private onLazy(model: string, event: LazyOllamaEvent | ColdStartEvent): void {
    const previous = this.lazy.get(model);
    if (!previous) return;
    const next = nextLazyState(previous, event);
    this.lazy.set(model, next);
    this.emit('lazy', next);
  }
}

function nextLazyState(previous: LazyState, event: LazyOllamaEvent | ColdStartEvent): LazyState {
  switch (event.type) {
    case 'pull-start':
      return { ...previous, state: 'loading', progress: 0, detail: 'pulling manifest' };
    case 'pull-progress': {
      const progress = event.totalBytes > 0 ? event.completedBytes / event.totalBytes : undefined;
      return { ...previous, state: 'loading', progress, detail: event.status };
    }
    case 'pull-failed':
      return { ...previous, state: 'failed', detail: event.error.message };
    case 'loading': {
      const togo =
        event.estimatedTimeMs === undefined
          ? ''
          : `, ~${(event.estimatedTimeMs / 1000).toFixed(1)} s to go`;
      return {
        ...previous,
        state: 'loading',
        progress: undefined,
        detail: `cold start: loading reply ${event.attempt}, waited ${(event.waitedMs / 1000).toFixed(1)} s${togo}`,
      };
    }
    case 'failed':
      return { ...previous, state: 'failed', detail: `cold start failed: ${String(event.error)}` };
    case 'ready':
      if ('pulled' in event) {
        return {
          ...previous,
          state: 'ready',
          progress: 1,
          detail: event.pulled ? 'pulled and ready' : 'already installed',
        };
      }
      return {
        ...previous,
        state: 'ready',
        progress: 1,
        detail: `warm after ${(event.waitedMs / 1000).toFixed(1)} s of cold start`,
      };
  }
}
