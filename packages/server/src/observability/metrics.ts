import type {
  Attempt,
  ModelRegistry,
  Orchestrator,
  OrchestratorResponse,
} from '@orchestrator/core';
import { Counter, Gauge, Histogram, Registry } from '../engine/prom-client-parts.js';

const BREAKER_VALUE = { closed: 0, 'half-open': 1, half_open: 1, open: 2 } as Record<
  string,
  number
>;

/**
 * The gateway's Prometheus metrics, in a registry of its own (several servers per process work).
 *
 * What the engine reports while it answers (each attempt, each completion) is
 * put into the metrics when the current event-loop turn ends, or when the
 * metrics are read, whichever comes first — not inside the engine's events:
 * those fire before the response is written, and four labelled prom-client
 * updates (each hashes its labels) would sit between the upstream's answer
 * and the client's.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  #attempts: Attempt[] = [];
  #completions: OrchestratorResponse[] = [];
  #scheduled = false;
  /** Applies what the engine reported since the last flush (also run by every scrape). */
  readonly flush = (): void => {
    this.#scheduled = false;
    const attempts = this.#attempts;
    const completions = this.#completions;
    if (attempts.length > 0) {
      this.#attempts = [];
      for (const attempt of attempts) {
        this.modelLatency.observe(
          { model: attempt.model, outcome: attempt.outcome },
          attempt.latencyMs / 1000,
        );
        if (attempt.costUsd > 0) this.cost.inc({ model: attempt.model }, attempt.costUsd);
      }
    }
    if (completions.length > 0) {
      this.#completions = [];
      for (const response of completions) {
        const model = response.modelUsed;
        if (response.usage.inputTokens)
          this.tokens.inc({ model, direction: 'input' }, response.usage.inputTokens);
        if (response.usage.outputTokens)
          this.tokens.inc({ model, direction: 'output' }, response.usage.outputTokens);
      }
    }
  };
  readonly requests = new Counter({
    name: 'orchestrator_http_requests_total',
    help: 'HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'orchestrator_http_request_duration_seconds',
    help: 'HTTP request duration (streams: until the last byte).',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly modelLatency = new Histogram({
    name: 'orchestrator_model_attempt_duration_seconds',
    help: 'Duration of model attempts by model and outcome.',
    labelNames: ['model', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
    collect: this.flush,
  });
  readonly idleReleases = new Counter({
    name: 'orchestrator_idle_memory_releases_total',
    help: 'Idle memory releases completed (server.idleMemoryRelease: two full collections, after which V8 shrinks its young generation).',
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'orchestrator_tokens_total',
    help: 'Tokens by model and direction (input, output).',
    labelNames: ['model', 'direction'] as const,
    registers: [this.registry],
    collect: this.flush,
  });
  readonly cost = new Counter({
    name: 'orchestrator_cost_usd_total',
    help: 'Spend in USD by model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
    collect: this.flush,
  });
  readonly cacheHits = new Counter({
    name: 'orchestrator_cache_hits_total',
    help: 'Response cache hits.',
    registers: [this.registry],
  });
  readonly cacheMisses = new Counter({
    name: 'orchestrator_cache_misses_total',
    help: 'Response cache misses.',
    registers: [this.registry],
  });
  readonly fallbacks = new Counter({
    name: 'orchestrator_fallbacks_total',
    help: 'Fallbacks from a model to the next, by model and reason.',
    labelNames: ['model', 'reason'] as const,
    registers: [this.registry],
  });

  constructor(models: ModelRegistry, engine: Orchestrator) {
    new Gauge({
      name: 'orchestrator_breaker_state',
      help: 'Circuit breaker state per model: 0 closed, 1 half-open, 2 open.',
      labelNames: ['model'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of models.summary())
          this.set({ model: s.name }, BREAKER_VALUE[s.health.breaker] ?? -1);
      },
    });
    engine.on('cache:hit', () => this.cacheHits.inc());
    engine.on('cache:miss', () => this.cacheMisses.inc());
    engine.on('fallback', (e) => this.fallbacks.inc({ model: e.from, reason: e.reason }));
    engine.on('attempt:done', ({ attempt }) => {
      this.#attempts.push(attempt);
      this.#schedule();
    });
    engine.on('complete', ({ response }) => {
      if (response.cached) return;
      this.#completions.push(response);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.flush);
  }
}
