import type {
  EventEmitter,
  HealthChange,
  Orchestrator,
  OrchestratorEvents,
} from '@orchestrator/core';
import type { Fleet, LazyState } from '../simulated/index.js';

/** One line of the dashboard's feed: what the engine decided or did, said in words. */
export interface FeedItem {
  readonly id: number;
  readonly at: number;
  readonly type:
    | 'decision'
    | 'retry'
    | 'fallback'
    | 'cache_hit'
    | 'budget_rejected'
    | 'limit_rejected'
    | 'complete'
    | 'failed'
    | 'breaker'
    | 'lazy'
    | 'fault';
  readonly requestId?: string;
  readonly model?: string;
  readonly text: string;
  readonly detail?: string;
}

/** Running totals since the gateway started. */
export interface FeedCounters {
  requests: number;
  completed: number;
  failedAttempts: number;
  cacheHits: number;
  cacheMisses: number;
  retries: number;
  fallbacks: number;
  budgetRejections: number;
  rateLimitRejections: number;
  costUsd: number;
}

/** One completed request or failed attempt, kept briefly for the time-series sampler. */
export interface CompletedSample {
  readonly at: number;
  readonly latencyMs: number;
  readonly costUsd: number;
  readonly ok: boolean;
  readonly cached: boolean;
}

const FEED_SIZE = 300;
const money = (usd: number): string => `$${usd < 0.01 ? usd.toFixed(5) : usd.toFixed(4)}`;

/**
 * Relays the engine's typed events, the health monitor's breaker changes and
 * the fleet's lazy-loading and fault events into a bounded feed with running
 * counters; listeners (the SSE route) get each new item.
 */
export class EventFeed {
  readonly counters: FeedCounters = {
    requests: 0,
    completed: 0,
    failedAttempts: 0,
    cacheHits: 0,
    cacheMisses: 0,
    retries: 0,
    fallbacks: 0,
    budgetRejections: 0,
    rateLimitRejections: 0,
    costUsd: 0,
  };
  private readonly items: FeedItem[] = [];
  private readonly listeners = new Set<(item: FeedItem) => void>();
  private samples: CompletedSample[] = [];
  private nextId = 1;
  private readonly detach: (() => void)[] = [];

  constructor(orchestrator: Orchestrator, fleet: Fleet | undefined) {
    const on = <E extends keyof OrchestratorEvents>(
      event: E,
      listener: EventEmitter.EventListener<OrchestratorEvents, E>,
    ): void => {
      orchestrator.on(event, listener);
      this.detach.push(() => orchestrator.off(event, listener));
    };
    on('decision', (d) => {
      this.counters.requests++;
      const fallbacks = d.fallbacks.map((f) => f.model).join(' → ');
      this.push({
        type: 'decision',
        requestId: d.requestId,
        model: d.model,
        text: `${d.strategy} → ${d.model} (${d.taskType.replace(/_/g, ' ')}, ${d.complexity}; est. ${money(d.estimatedCostUsd)}, ${Math.round(d.estimatedLatencyMs)} ms, confidence ${d.confidence.toFixed(2)})`,
        detail: `${d.reasoning}${fallbacks ? ` Fallbacks: ${fallbacks}.` : ''}`,
      });
    });
    on('retry', (e) =>
      this.count('retries', {
        type: 'retry',
        requestId: e.requestId,
        model: e.model,
        text: `retry ${e.model} (try ${e.try + 1}) in ${Math.round(e.delayMs)} ms`,
        detail: e.reason,
      }),
    );
    on('fallback', (e) =>
      this.count('fallbacks', {
        type: 'fallback',
        requestId: e.requestId,
        model: e.from,
        text: `fallback from ${e.from}`,
        detail: e.reason,
      }),
    );
    on('cache:hit', (e) => {
      // A cached answer is a request that never reached routing.
      this.counters.requests++;
      this.count('cacheHits', {
        type: 'cache_hit',
        requestId: e.requestId,
        model: e.model,
        text: `cache hit (${e.model}, ${Math.round(e.ageMs / 1000)} s old) — no provider call`,
      });
    });
    on('cache:miss', () => {
      this.counters.cacheMisses++;
    });
    on('budget:rejected', (e) =>
      this.count('budgetRejections', {
        type: 'budget_rejected',
        requestId: e.requestId,
        model: e.model,
        text: `budget rejected on ${e.model}`,
        detail: e.error.message,
      }),
    );
    on('limit:rejected', (e) =>
      this.count('rateLimitRejections', {
        type: 'limit_rejected',
        requestId: e.requestId,
        model: e.model,
        text: `rate limit rejected on ${e.model}`,
        detail: e.error.message,
      }),
    );
    on('complete', ({ requestId, response: r }) => {
      this.counters.completed++;
      this.counters.costUsd += r.cached ? 0 : r.costUsd;
      this.sample({
        at: Date.now(),
        latencyMs: r.processingTimeMs,
        costUsd: r.cached ? 0 : r.costUsd,
        ok: true,
        cached: r.cached,
      });
      const tried = r.attempts.length > 1 ? ` after ${r.attempts.length} attempts` : '';
      this.push({
        type: 'complete',
        requestId,
        model: r.modelUsed,
        text: `${r.modelUsed} answered${tried}: ${r.usage.outputTokens ?? 0} tokens, ${Math.round(r.processingTimeMs)} ms, ${money(r.cached ? 0 : r.costUsd)}${r.cached ? ' (cached)' : ''}`,
      });
    });
    on('attempt:done', ({ requestId, attempt }) => {
      if (attempt.outcome === 'success') return;
      this.counters.failedAttempts++;
      this.sample({
        at: Date.now(),
        latencyMs: attempt.latencyMs,
        costUsd: 0,
        ok: false,
        cached: false,
      });
      this.push({
        type: 'failed',
        requestId,
        model: attempt.model,
        text: `${attempt.model} attempt ${attempt.try}: ${attempt.outcome}${attempt.errorCode ? ` (${attempt.errorCode})` : ''}`,
        ...(attempt.errorMessage === undefined ? {} : { detail: attempt.errorMessage }),
      });
    });
    const monitor = orchestrator.registry.healthMonitor;
    const onHealth = (change: HealthChange): void => {
      this.push({
        type: 'breaker',
        model: change.model,
        text: `breaker ${change.model}: ${change.from} → ${change.to}`,
        detail: change.reason,
      });
    };
    monitor.on('health:changed', onHealth);
    this.detach.push(() => monitor.off('health:changed', onHealth));
    if (fleet) {
      let lastLazy = '';
      const onLazy = (s: LazyState): void => {
        // Pull progress arrives per line; the feed keeps one line per status change.
        const key = `${s.model}|${s.state}|${s.detail.replace(/[\d.]+ s/g, '')}`;
        if (key === lastLazy) return;
        lastLazy = key;
        this.push({
          type: 'lazy',
          model: s.model,
          text: `${s.model}: ${s.state}`,
          detail: s.detail,
        });
      };
      const onFault = (e: { provider: string; fault: string | undefined }): void => {
        this.push({
          type: 'fault',
          text: e.fault
            ? `injected ${e.fault.replace('_', ' ')} into simulated ${e.provider}`
            : `simulated ${e.provider} recovered`,
        });
      };
      fleet.on('lazy', onLazy);
      fleet.on('fault', onFault);
      this.detach.push(() => fleet.off('lazy', onLazy));
      this.detach.push(() => fleet.off('fault', onFault));
    }
  }

  recent(limit = 100): FeedItem[] {
    return this.items.slice(-limit);
  }

  /** Completed requests since `since` (epoch ms), for the time series. */
  samplesSince(since: number): CompletedSample[] {
    return this.samples.filter((s) => s.at >= since);
  }

  subscribe(listener: (item: FeedItem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const off of this.detach) off();
    this.listeners.clear();
  }

  private count(counter: keyof FeedCounters, item: Omit<FeedItem, 'id' | 'at'>): void {
    this.counters[counter]++;
    this.push(item);
  }

  private sample(s: CompletedSample): void {
    this.samples.push(s);
    // Keep about a minute: the sampler reads the last few seconds.
    if (this.samples.length > 5_000) this.samples = this.samples.slice(-2_500);
  }

  private push(item: Omit<FeedItem, 'id' | 'at'>): void {
    const full: FeedItem = { id: this.nextId++, at: Date.now(), ...item };
    this.items.push(full);
    if (this.items.length > FEED_SIZE) this.items.splice(0, this.items.length - FEED_SIZE);
    for (const listener of this.listeners) listener(full);
  }
}
