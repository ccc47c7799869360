import type { DashboardSnapshot } from '../../gateway/dashboard-snapshot.js';
import { ms, num, pct, usd } from '../format.js';

function Card(props: {
  label: string;
  value: string;
  hint?: string;
  tone?: 'ok' | 'warn' | 'bad' | undefined;
  testId?: string;
}) {
  return (
    <div class={`kpi ${props.tone ? `kpi-${props.tone}` : ''}`} data-testid={props.testId}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value">{props.value}</div>
      {props.hint && <div class="kpi-hint">{props.hint}</div>}
    </div>
  );
}

/** The headline figures: traffic, health, spend, cache and rejections. */
export function KpiCards({ snapshot }: { snapshot: DashboardSnapshot | undefined }) {
  const c = snapshot?.counters;
  const last = snapshot?.series.filter((p) => p.latencyP50Ms !== undefined).at(-1);
  const sim = snapshot?.simulated ? ' · simulated' : '';
  const attempts = (c?.completed ?? 0) + (c?.failedAttempts ?? 0);
  const success = attempts === 0 ? undefined : (c?.completed ?? 0) / attempts;
  return (
    <section class="kpis">
      <Card
        label="Requests"
        value={num(c?.requests)}
        hint={`${num(c?.completed)} answered`}
        testId="kpi-requests"
      />
      <Card
        label="Attempt success"
        value={pct(success)}
        hint={`${num(c?.retries)} retries · ${num(c?.fallbacks)} fallbacks`}
        tone={
          success === undefined ? undefined : success > 0.95 ? 'ok' : success > 0.8 ? 'warn' : 'bad'
        }
      />
      <Card
        label="Latency p50"
        value={last ? ms(last.latencyP50Ms) : '–'}
        hint={
          last ? `p95 ${ms(last.latencyP95Ms)} · latest interval${sim}` : `latest interval${sim}`
        }
      />
      <Card
        label="Spend"
        value={usd(c?.costUsd)}
        hint={`at list prices${sim}`}
        testId="kpi-spend"
      />
      <Card
        label="Cache hit rate"
        value={pct(c?.cacheHitRate)}
        hint={`${num(c?.cacheHits)} hits`}
      />
      <Card
        label="Budget rejections"
        value={num(c?.budgetRejections)}
        tone={(c?.budgetRejections ?? 0) > 0 ? 'warn' : undefined}
      />
      <Card
        label="Rate-limit rejections"
        value={num(c?.rateLimitRejections)}
        tone={(c?.rateLimitRejections ?? 0) > 0 ? 'warn' : undefined}
      />
    </section>
  );
}
