import { performance } from 'node:perf_hooks';

export interface Stats {
  readonly samples: number;
  readonly medianUs: number;
  readonly p99Us: number;
  readonly meanUs: number;
}

export function stats(samplesUs: readonly number[]): Stats {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { samples: sorted.length, medianUs: at(0.5), p99Us: at(0.99), meanUs: mean };
}

/** Times a synchronous function in batches (timer resolution is too coarse for one call). */
export function timeSync(
  fn: () => unknown,
  { batches = 200, perBatch = 100, warmup = 2_000 } = {},
): Stats {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(((performance.now() - start) * 1000) / perBatch);
  }
  return stats(samples);
}

export interface Comparison {
  readonly baseline: Stats;
  readonly candidate: Stats;
  /** Median of the per-pair differences (candidate − baseline), µs. */
  readonly addedMedianUs: number;
  readonly addedP99Us: number;
  /** candidate median / baseline median. */
  readonly ratio: number;
}

/**
 * Times two async operations interleaved, pair by pair, so drift in a noisy
 * machine hits both alike; the added cost is the median of the differences.
 */
export async function compareInterleaved(
  baseline: () => Promise<unknown>,
  candidate: () => Promise<unknown>,
  { iterations = 500, warmup = 50 } = {},
): Promise<Comparison> {
  for (let i = 0; i < warmup; i++) {
    await baseline();
    await candidate();
  }
  const a: number[] = [];
  const b: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < iterations; i++) {
    // Alternate which goes first so ordering effects cancel out.
    const first = i % 2 === 0;
    let ta = 0;
    let tb = 0;
    if (first) {
      ta = await timeOnce(baseline);
      tb = await timeOnce(candidate);
    } else {
      tb = await timeOnce(candidate);
      ta = await timeOnce(baseline);
    }
    a.push(ta);
    b.push(tb);
    diff.push(tb - ta);
  }
  const sa = stats(a);
  const sb = stats(b);
  const sd = stats(diff);
  return {
    baseline: sa,
    candidate: sb,
    addedMedianUs: sd.medianUs,
    addedP99Us: sd.p99Us,
    ratio: sb.medianUs / sa.medianUs,
  };
}

async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) * 1000;
}

export function fmt(us: number): string {
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  if (us >= 10) return `${us.toFixed(1)} µs`;
  return `${us.toFixed(2)} µs`;
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: readonly Record<string, string | number>[]): void {
  console.log(`\n## ${title}\n`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
