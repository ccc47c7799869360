import { type Comparison, compareInterleaved, fmt, printTable } from '../harness.js';

type Call = () => Promise<unknown>;

/** One more row of an adapter-overhead table: the raw SDK call and the adapter call it is set against. */
export interface ExtraCase {
  readonly case: string;
  readonly raw: Call;
  readonly adapter: Call;
}

export interface AdapterOverhead {
  /** Title of the printed table. */
  readonly name: string;
  /** The raw SDK call, plain, sending the body the adapter sends. */
  readonly raw: Call;
  /** The adapter's `generate`. */
  readonly adapter: Call;
  /** The raw SDK call, streamed and drained. */
  readonly rawStream: Call;
  /** The adapter's `stream`, drained. */
  readonly adapterStream: Call;
  /**
   * The same raw SDK calls sent through the transport the adapter uses by
   * default (`@orchestrator/transport`), for two more rows: the first two
   * rows set the adapter against the SDK as a user gets it (its default
   * fetch), these show how much of the difference the transport accounts for.
   */
  readonly sameTransport?: { readonly raw: Call; readonly rawStream: Call };
  /** Row names of the plain and streamed cases (default `generate`, `stream`). */
  readonly labels?: readonly [plain: string, stream: string];
  /** Further comparisons, printed after the two above in this order. */
  readonly extra?: readonly ExtraCase[];
  readonly iterations?: number;
  readonly warmup?: number;
}

/**
 * Times the adapter against the raw SDK, plain and streamed (plus any extra
 * cases), pair by pair, and prints one table in which each row is checked
 * against the target: the adapter adds at most 5% of the raw call's median,
 * or 50 µs, whichever is larger.
 */
export async function benchAdapterOverhead(spec: AdapterOverhead): Promise<void> {
  const options = {
    iterations: spec.iterations ?? 300,
    ...(spec.warmup === undefined ? {} : { warmup: spec.warmup }),
  };
  const [plainLabel, streamLabel] = spec.labels ?? ['generate', 'stream'];
  const cases: ExtraCase[] = [
    { case: plainLabel, raw: spec.raw, adapter: spec.adapter },
    { case: streamLabel, raw: spec.rawStream, adapter: spec.adapterStream },
    ...(spec.sameTransport
      ? [
          {
            case: `${plainLabel}, vs raw SDK on the same transport`,
            raw: spec.sameTransport.raw,
            adapter: spec.adapter,
          },
          {
            case: `${streamLabel}, vs raw SDK on the same transport`,
            raw: spec.sameTransport.rawStream,
            adapter: spec.adapterStream,
          },
        ]
      : []),
    ...(spec.extra ?? []),
  ];
  const rows: Record<string, string>[] = [];
  for (const c of cases) {
    rows.push(overheadRow(c.case, await compareInterleaved(c.raw, c.adapter, options)));
  }
  printTable(spec.name, rows);
}

/** One table row: raw and adapter medians, the added cost and whether it meets the target. */
export function overheadRow(name: string, c: Comparison): Record<string, string> {
  const target = Math.max(50, c.baseline.medianUs * 0.05);
  return {
    case: name,
    'raw SDK median': fmt(c.baseline.medianUs),
    'adapter median': fmt(c.candidate.medianUs),
    'added median': fmt(c.addedMedianUs),
    'added p99': fmt(c.addedP99Us),
    ratio: c.ratio.toFixed(3),
    target: `≤ ${fmt(target)}`,
    met: c.addedMedianUs <= target ? 'yes' : 'no',
  };
}

/** Reads a stream (or a promise of one) to its end. */
export async function drain(
  stream: AsyncIterable<unknown> | PromiseLike<AsyncIterable<unknown>>,
): Promise<void> {
  for await (const _item of await stream) {
    // drain
  }
}
