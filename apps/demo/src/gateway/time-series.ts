import type { EventFeed } from './event-feed.js';

/** One point of the dashboard's charts: the last interval's traffic. */
export interface SeriesPoint {
  /** Epoch seconds (uPlot's x unit). */
  readonly t: number;
  readonly requestsPerSecond: number;
  /** Share of attempts that succeeded in the interval; undefined when there were none. */
  readonly successRate: number | undefined;
  readonly latencyP50Ms: number | undefined;
  readonly latencyP95Ms: number | undefined;
  /** Cumulative spend since start, USD. */
  readonly costUsd: number;
}

export const SAMPLE_INTERVAL_MS = 2_000;
const KEEP_POINTS = 180;

function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Samples the feed every couple of seconds into a bounded series, so a page
 * opened late still shows the last few minutes.
 */
export class TimeSeries {
  private readonly points: SeriesPoint[] = [];
  private readonly timer: NodeJS.Timeout;
  private cumulativeCost = 0;

  constructor(private readonly feed: EventFeed) {
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  list(): readonly SeriesPoint[] {
    return this.points;
  }

  sample(now = Date.now()): void {
    const window = this.feed.samplesSince(now - SAMPLE_INTERVAL_MS);
    const ok = window.filter((s) => s.ok);
    const latencies = ok
      .filter((s) => !s.cached)
      .map((s) => s.latencyMs)
      .sort((a, b) => a - b);
    for (const s of ok) this.cumulativeCost += s.costUsd;
    this.points.push({
      t: Math.round(now / 1000),
      requestsPerSecond: ok.length / (SAMPLE_INTERVAL_MS / 1000),
      successRate: window.length === 0 ? undefined : ok.length / window.length,
      latencyP50Ms: quantile(latencies, 0.5),
      latencyP95Ms: quantile(latencies, 0.95),
      costUsd: this.cumulativeCost,
    });
    if (this.points.length > KEEP_POINTS) this.points.splice(0, this.points.length - KEEP_POINTS);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
