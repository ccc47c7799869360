import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { SeriesPoint } from '../../gateway/time-series.js';

interface ChartSpec {
  readonly title: string;
  readonly series: readonly {
    readonly label: string;
    readonly color: string;
    readonly value: (p: SeriesPoint) => number | undefined;
    readonly fill?: boolean;
  }[];
  readonly unit: (v: number) => string;
}

const AXIS = {
  stroke: '#8b93a7',
  grid: { stroke: 'rgba(139,147,167,0.12)' },
  ticks: { stroke: 'rgba(139,147,167,0.2)' },
};

function Chart({ spec, points }: { spec: ChartSpec; points: readonly SeriesPoint[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: el.clientWidth || 360,
      height: 170,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        {
          ...AXIS,
          // Clock time only: the default adds a date row that crowds a small chart.
          values: (_u, ticks) =>
            ticks.map((t) => new Date(t * 1000).toLocaleTimeString('en-GB', { hour12: false })),
        },
        { ...AXIS, size: 56, values: (_u, ticks) => ticks.map((t) => spec.unit(t)) },
      ],
      series: [
        {},
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          spanGaps: true,
          points: { show: false },
          ...(s.fill ? { fill: `${s.color}22` } : {}),
        })),
      ],
    };
    plot.current = new uPlot(opts, [[], ...spec.series.map(() => [])], el);
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: el.clientWidth, height: 170 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [spec]);

  useEffect(() => {
    const data: uPlot.AlignedData = [
      points.map((p) => p.t),
      ...spec.series.map((s) => points.map((p) => s.value(p) ?? null)),
    ];
    plot.current?.setData(data);
  }, [points, spec]);

  return (
    <div class="chart card">
      <h3>{spec.title}</h3>
      <div ref={host} class="chart-host" />
    </div>
  );
}

const THROUGHPUT: ChartSpec = {
  title: 'Throughput',
  unit: (v) => `${v.toFixed(1)}/s`,
  series: [
    { label: 'answered req/s', color: '#6366f1', value: (p) => p.requestsPerSecond, fill: true },
  ],
};
const SUCCESS: ChartSpec = {
  title: 'Attempt success rate',
  unit: (v) => `${Math.round(v * 100)}%`,
  series: [{ label: 'success', color: '#22c55e', value: (p) => p.successRate, fill: true }],
};
const LATENCY: ChartSpec = {
  title: 'Latency',
  unit: (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)}s` : `${Math.round(v)}ms`),
  series: [
    { label: 'p50', color: '#38bdf8', value: (p) => p.latencyP50Ms },
    { label: 'p95', color: '#f59e0b', value: (p) => p.latencyP95Ms },
  ],
};
const COST: ChartSpec = {
  title: 'Cumulative spend',
  unit: (v) => `$${v < 0.1 ? v.toFixed(3) : v.toFixed(2)}`,
  series: [{ label: 'USD', color: '#e879f9', value: (p) => p.costUsd, fill: true }],
};

const COST_SIMULATED: ChartSpec = { ...COST, title: 'Cumulative spend (simulated)' };

/** Live charts of the last few minutes, sampled by the gateway every two seconds. */
export function Charts({
  series,
  simulated,
}: {
  series: readonly SeriesPoint[];
  simulated: boolean;
}) {
  return (
    <section class="charts" data-testid="charts">
      <Chart spec={THROUGHPUT} points={series} />
      <Chart spec={SUCCESS} points={series} />
      <Chart spec={LATENCY} points={series} />
      <Chart spec={simulated ? COST_SIMULATED : COST} points={series} />
    </section>
  );
}
