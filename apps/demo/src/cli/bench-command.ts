import { type ExecuteOutcome, executeRequest } from '../traffic/execute-request.js';
import { pickPrompts, seededRandom } from '../traffic/workload.js';
import type { CliContext } from './cli-context.js';
import { formatTable, ms, pct, usd } from './format-table.js';

export interface BenchOptions {
  readonly requests: number;
  readonly concurrency: number;
  readonly strategy: string | undefined;
  readonly model: string | undefined;
  readonly seed: number;
}

const BAR_WIDTH = 28;

function quantile(sorted: readonly number[], q: number): number | undefined {
  return sorted.length === 0
    ? undefined
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * `orchestrator bench`: sends a mixed workload (every task type and
 * complexity) to a gateway at a fixed concurrency, draws a progress bar,
 * and prints a per-model summary with latency percentiles, cost and the
 * share of cache hits.
 */
export async function benchCommand(ctx: CliContext, o: BenchOptions): Promise<number> {
  // One probe first: a wrong URL or key should fail in one clear line, not N times.
  await ctx.client(10_000).json('GET', '/api/v1/orchestrator/models/capabilities');
  const prompts = pickPrompts(o.requests, seededRandom(o.seed));
  const outcomes: ExecuteOutcome[] = [];
  let next = 0;
  const started = performance.now();
  let lastDraw = 0;
  const draw = (final = false): void => {
    const now = performance.now();
    if (!final && now - lastDraw < 100) return;
    lastDraw = now;
    const done = outcomes.length;
    const filled = Math.round((done / o.requests) * BAR_WIDTH);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const errors = outcomes.filter((r) => !r.ok).length;
    const line = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${o.requests}  ${rate.toFixed(1)} req/s  ${errors} error(s)`;
    if (ctx.interactive) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else if (final || done % Math.max(1, Math.floor(o.requests / 10)) === 0) ctx.err(line);
  };
  const worker = async (): Promise<void> => {
    while (next < prompts.length) {
      const item = prompts[next++]!;
      const outcome = await executeRequest(ctx.url, ctx.key, {
        messages: [{ role: 'user', content: item.prompt }],
        maxTokens: 300,
        ...(o.strategy === undefined ? {} : { strategy: o.strategy }),
        ...(o.model === undefined ? {} : { model: o.model }),
      });
      outcomes.push(outcome);
      if (outcome.status === 401) throw new Error('401');
      draw();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, o.requests) }, worker));
  } catch {
    draw(true);
    ctx.err('The gateway rejected the key; check --key or ORCHESTRATOR_API_KEY.');
    return 1;
  }
  draw(true);
  const seconds = (performance.now() - started) / 1000;
  const byModel = new Map<string, ExecuteOutcome[]>();
  for (const r of outcomes) {
    const key = r.ok ? (r.model ?? '?') : `(failed: ${r.errorCode ?? r.status})`;
    byModel.set(key, [...(byModel.get(key) ?? []), r]);
  }
  const rows = [...byModel.entries()]
    .map(([model, rs]) => {
      const latencies = rs
        .filter((r) => !r.cached)
        .map((r) => r.latencyMs)
        .sort((a, b) => a - b);
      return {
        model,
        n: rs.length,
        cached: rs.filter((r) => r.cached).length,
        retried: rs.filter((r) => r.attempts > 1).length,
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        cost: rs.reduce((s, r) => s + r.costUsd, 0),
      };
    })
    .sort((a, b) => b.n - a.n);
  ctx.out(
    formatTable(rows, [
      { header: 'model', value: (r) => r.model },
      { header: 'requests', value: (r) => String(r.n), align: 'right' },
      { header: 'share', value: (r) => pct(r.n / outcomes.length), align: 'right' },
      { header: 'cached', value: (r) => String(r.cached), align: 'right' },
      { header: 'fallback/retry', value: (r) => String(r.retried), align: 'right' },
      { header: 'p50', value: (r) => ms(r.p50), align: 'right' },
      { header: 'p95', value: (r) => ms(r.p95), align: 'right' },
      { header: 'cost', value: (r) => usd(r.cost), align: 'right' },
    ]),
  );
  const ok = outcomes.filter((r) => r.ok);
  const all = ok
    .filter((r) => !r.cached)
    .map((r) => r.latencyMs)
    .sort((a, b) => a - b);
  ctx.out(
    `\n${outcomes.length} requests in ${seconds.toFixed(1)} s (${(outcomes.length / seconds).toFixed(1)} req/s, concurrency ${o.concurrency}): ` +
      `${pct(ok.length / outcomes.length)} succeeded, ${ok.filter((r) => r.cached).length} cache hits, ` +
      `p50 ${ms(quantile(all, 0.5))}, p95 ${ms(quantile(all, 0.95))}, total ${usd(ok.reduce((s, r) => s + r.costUsd, 0))}`,
  );
  // Rejections (budgets, limits) are part of a workload; only a run where nothing got through fails.
  return ok.length > 0 ? 0 : 1;
}
