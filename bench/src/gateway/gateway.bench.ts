import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, printTable, stats } from '../harness.js';
import {
  floorProgram,
  orchestratorProgram,
  portkeyPreloadUrl,
  sourceFlags,
  UPSTREAM_KEY,
  upstreamProgram,
} from './children.js';
import { type FirstByte, type LoadRun, loadRun, type Target, timedRequest } from './load.js';
import {
  cpuTimeUs,
  killAll,
  memory,
  pinSelf,
  sampleRss,
  sleep,
  spawnNode,
  tasksetAvailable,
  waitForMessage,
} from './processes.js';

// Side-by-side gateway benchmark (issue 5, "Benchmark against a peer"): the
// fake OpenAI upstream called directly, the floor (a minimal node:http
// forwarder through @orchestrator/transport: what any Node proxy costs on this
// machine), our gateway and Portkey's open-source gateway, in one run against
// the same upstream. Each gateway runs in its own process pinned to core 1;
// the upstream and the load generator (this process) share core 0. Only
// 127.0.0.1 is contacted; every child is killed at the end.
//
// Environment knobs: BENCH_GATEWAY_SECONDS (per run, default 5),
// BENCH_GATEWAY_SOURCE=1 (run our gateway from TypeScript sources via tsx
// instead of the built dist), BENCH_LOG_LEVEL (our gateway's, default info),
// BENCH_GATEWAY_CPU_PROF=<dir> (write a V8 CPU profile of our gateway there).

const benchRoot = fileURLToPath(new URL('../../', import.meta.url));
const portkeyEntry = fileURLToPath(
  new URL('../../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url),
);

/** The workspace packages the child programs import from their built dist/ (without BENCH_GATEWAY_SOURCE). */
const BUILT_PACKAGES = ['server', 'core', 'postgres', 'openai', 'transport', 'testing'] as const;
const BUILD_COMMAND =
  'npx -y pnpm@10 --filter @orchestrator/server... --filter @orchestrator/testing... build';

/** Newest modification time of the non-test TypeScript files under `dir`, ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The children import the built packages: a missing dist/ would otherwise end
 * the run with ERR_MODULE_NOT_FOUND from inside a child. A dist/ older than
 * its sources is measured anyway, with a warning (the figures are of old code).
 */
function checkBuilt(): void {
  const packagesDir = fileURLToPath(new URL('../../../packages/', import.meta.url));
  const missing: string[] = [];
  const stale: string[] = [];
  for (const name of BUILT_PACKAGES) {
    if (!existsSync(join(packagesDir, name, 'package.json'))) continue;
    const entry = join(packagesDir, name, 'dist', 'index.js');
    if (!existsSync(entry)) missing.push(`@orchestrator/${name}`);
    else if (newestSource(join(packagesDir, name, 'src')) > statSync(entry).mtimeMs)
      stale.push(`@orchestrator/${name}`);
  }
  if (missing.length)
    throw new Error(
      `bench gateway: build first — ${missing.join(', ')} ha${missing.length === 1 ? 's' : 've'} no dist/. Run \`${BUILD_COMMAND}\`, or set BENCH_GATEWAY_SOURCE=1 to run from the TypeScript sources.`,
    );
  if (stale.length)
    console.log(
      `WARNING: the dist/ of ${stale.join(', ')} is older than its sources; these figures are of the last build (\`${BUILD_COMMAND}\`).`,
    );
}

const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
/** Before any cell, each target serves both modes this long (see run()). */
const JIT_WARMUP_SECONDS = 3;
const JIT_WARMUP_CONNECTIONS = 8;
const CONCURRENCY = [1, 16, 64] as const;
const TTFB_ROUNDS = 300;
const GATEWAY_CORE = 1;
const LOADGEN_CORE = 0;
const MB = 1024 * 1024;
/** How long the gateways idle before the settled memory reading (past our idle release: 5 s + 6 s). */
const SETTLE_MS = 15_000;

const MESSAGES = [{ role: 'user', content: 'Say hello to the benchmark in one short sentence.' }];
const BODIES = {
  plain: JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES }),
  stream: JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }),
} as const;
type Mode = keyof typeof BODIES;

interface Cell {
  readonly mode: Mode;
  readonly connections: number;
  readonly target: string;
  readonly run: LoadRun;
  readonly p50Us: number;
  readonly p99Us: number;
  /** Gateway CPU time per request, µs (undefined for the upstream called directly). */
  readonly cpuPerRequestUs: number | undefined;
  readonly peakRss: number | undefined;
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${(bytes / MB).toFixed(1)} MB`;
}

function signedMs(us: number | undefined): string {
  if (us === undefined) return '—';
  return `${us >= 0 ? '+' : '−'}${(Math.abs(us) / 1000).toFixed(2)} ms`;
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return '—';
  return `${(a / b).toFixed(2)}×`;
}

/** Sends one plain and one streamed request and checks the answers look like chat completions. */
async function check(target: Target): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const plain = await timedRequest(target, BODIES.plain, agent);
    if (plain.status !== 200 || !plain.body.includes('"chat.completion"'))
      throw new Error(`${target.name}: plain answer ${plain.status} ${plain.body.slice(0, 300)}`);
    const stream = await timedRequest(target, BODIES.stream, agent);
    if (
      stream.status !== 200 ||
      !stream.body.includes('chat.completion.chunk') ||
      !stream.body.includes('data: [DONE]')
    )
      throw new Error(
        `${target.name}: stream answer ${stream.status} ${stream.body.slice(0, 300)}`,
      );
  } finally {
    agent.destroy();
  }
}

async function measure(target: Target, mode: Mode, connections: number): Promise<Cell> {
  await loadRun(target, BODIES[mode], connections, WARMUP_SECONDS);
  const pid = target.pid;
  const cpuBefore = pid === undefined ? 0 : cpuTimeUs(pid);
  const stopRss = pid === undefined ? undefined : sampleRss(pid);
  const run = await loadRun(target, BODIES[mode], connections, SECONDS);
  const peakRss = stopRss?.();
  const cpu = pid === undefined ? undefined : cpuTimeUs(pid) - cpuBefore;
  const s = stats(run.latenciesUs);
  return {
    mode,
    connections,
    target: target.name,
    run,
    p50Us: s.medianUs,
    p99Us: s.p99Us,
    cpuPerRequestUs: cpu === undefined ? undefined : cpu / Math.max(1, run.requests),
    peakRss,
  };
}

interface TtfbRow {
  readonly target: string;
  readonly samples: FirstByte[];
  readonly addedUs: number[];
}

/** Streamed requests at concurrency 1, target after target in rotating order, timing the first byte. */
async function firstBytes(targets: readonly Target[]): Promise<TtfbRow[]> {
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const samples: FirstByte[][] = targets.map(() => []);
  try {
    for (let round = 0; round < TTFB_ROUNDS + 20; round++) {
      const results: (FirstByte | undefined)[] = targets.map(() => undefined);
      for (let k = 0; k < targets.length; k++) {
        const i = (round + k) % targets.length;
        results[i] = await timedRequest(targets[i]!, BODIES.stream, agents[i]!);
      }
      if (round < 20) continue; // warm-up
      results.forEach((r, i) => {
        if (r && r.status === 200) samples[i]!.push(r);
      });
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  const direct = samples[0]!;
  return targets.map((t, i) => ({
    target: t.name,
    samples: samples[i]!,
    addedUs: samples[i]!.map((s, j) => s.firstByteUs - (direct[j]?.firstByteUs ?? s.firstByteUs)),
  }));
}

function loadAverage(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
}

export async function run(): Promise<void> {
  const pinning = tasksetAvailable() && cpus().length >= 2;
  const gatewayCore = pinning ? GATEWAY_CORE : undefined;
  const loadCore = pinning ? LOADGEN_CORE : undefined;
  if (pinning) pinSelf(LOADGEN_CORE);
  const fromSource = process.env.BENCH_GATEWAY_SOURCE === '1';
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  const cpuProfDir = process.env.BENCH_GATEWAY_CPU_PROF;
  if (!fromSource) checkBuilt();

  console.log(
    '\n# Gateway side by side: upstream direct, the floor (a bare Node forwarder), Orchestrator, Portkey 1.15.2',
  );
  console.log(
    `${cpus().length} cores (${cpus()[0]?.model ?? '?'}); ${
      pinning
        ? `each gateway pinned to core ${GATEWAY_CORE} (taskset), upstream + load generator on core ${LOADGEN_CORE}`
        : 'NOT pinned (no taskset or one core)'
    }. The machine is shared with other work: figures are noisy, compare within this run.`,
  );
  console.log(`load before: ${loadAverage()}`);
  console.log(
    `Our gateway runs from ${fromSource ? 'TypeScript sources via tsx' : 'the built dist/ (packages/server/dist)'}, logs at ${logLevel} to /dev/null; auth off, cache off, storage in memory.`,
  );
  console.log(
    `Load: autocannon, POST /v1/chat/completions plain and stream, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, keep-alive; before the first run every target serves ${JIT_WARMUP_SECONDS} s of each mode (JIT warm-up).`,
  );

  try {
    const upstream = spawnNode(
      [...(fromSource ? sourceFlags : []), '--input-type=module', '--eval', upstreamProgram],
      {
        core: loadCore,
        cwd: benchRoot,
        env: baseEnv(),
      },
    );
    const { baseURL } = await waitForMessage<{ url: string; baseURL: string }>(upstream, 'ready');

    const ourArgs = [
      ...(fromSource ? sourceFlags : []),
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
      '--input-type=module',
      '--eval',
      orchestratorProgram,
    ];
    const ours = spawnNode(ourArgs, {
      core: gatewayCore,
      cwd: benchRoot,
      env: {
        ...baseEnv(),
        BENCH_UPSTREAM: baseURL,
        BENCH_UPSTREAM_KEY: UPSTREAM_KEY,
        BENCH_LOG_LEVEL: logLevel,
      },
    });
    const floor = spawnNode(
      [...(fromSource ? sourceFlags : []), '--input-type=module', '--eval', floorProgram],
      {
        core: gatewayCore,
        cwd: benchRoot,
        env: { ...baseEnv(), BENCH_UPSTREAM: baseURL, BENCH_UPSTREAM_KEY: UPSTREAM_KEY },
      },
    );
    const portkey = spawnNode(
      [`--import=${portkeyPreloadUrl}`, portkeyEntry, '--port=0', '--headless'],
      { core: gatewayCore, cwd: benchRoot, env: baseEnv() },
    );
    const startedAt = performance.now();
    const [ourReady, portkeyReady, floorReady] = await Promise.all([
      waitForMessage<{ url: string }>(ours, 'ready'),
      waitForMessage<{ port: number }>(portkey, 'ready'),
      waitForMessage<{ url: string }>(floor, 'ready'),
    ]);
    const startupMs = performance.now() - startedAt;

    const targets: Target[] = [
      {
        name: 'direct',
        url: `${baseURL}/chat/completions`,
        headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
        pid: undefined,
      },
      {
        name: 'floor',
        url: `${floorReady.url}/v1/chat/completions`,
        headers: {},
        pid: floor.pid,
      },
      {
        name: 'orchestrator',
        url: `${ourReady.url}/v1/chat/completions`,
        headers: {},
        pid: ours.pid,
      },
      {
        name: 'portkey',
        url: `http://127.0.0.1:${portkeyReady.port}/v1/chat/completions`,
        headers: {
          authorization: `Bearer ${UPSTREAM_KEY}`,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': baseURL,
        },
        pid: portkey.pid,
      },
    ];
    const gateways = targets.filter((t) => t.pid !== undefined) as (Target & { pid: number })[];
    const atStart = new Map(gateways.map((g) => [g.name, memory(g.pid).rss]));
    for (const target of targets) await check(target);
    await sleep(2_000);
    const idle = new Map(gateways.map((g) => [g.name, memory(g.pid).rss]));
    // Idle long enough for our gateway's idle memory release (server.idleMemoryRelease:
    // 5 s without a request in flight, then two full collections 6 s apart) — the
    // RSS an idle gateway settles at. Portkey idles just as long. The release also
    // runs (at most once a minute) in the idle gaps while the other targets are
    // loaded, as it would between bursts in production.
    await sleep(SETTLE_MS - 2_000);
    const settled = new Map(gateways.map((g) => [g.name, memory(g.pid).rss]));
    // Every target gets the same warm-up in both modes before the first cell:
    // the 1 s warm-up of a cell alone left the first cells (plain, c1: a few
    // hundred requests) measuring the JIT compiling the request path — for
    // both gateways alike (1.5 ms CPU per request at c1 against 0.5 at c64).
    for (const target of targets)
      for (const mode of ['plain', 'stream'] as const)
        await loadRun(target, BODIES[mode], JIT_WARMUP_CONNECTIONS, JIT_WARMUP_SECONDS);

    const cells: Cell[] = [];
    let index = 0;
    for (const mode of ['plain', 'stream'] as const)
      for (const connections of CONCURRENCY) {
        // Rotate the order from cell to cell so slow drift hits every target alike.
        for (let k = 0; k < targets.length; k++) {
          const target = targets[(index + k) % targets.length]!;
          cells.push(await measure(target, mode, connections));
        }
        index++;
      }

    const ttfb = await firstBytes(targets);
    await sleep(2_000);
    const idleAfter = new Map(gateways.map((g) => [g.name, memory(g.pid)]));
    const loadAfter = loadAverage();

    // ---- tables ----
    const find = (mode: Mode, c: number, name: string) =>
      cells.find((x) => x.mode === mode && x.connections === c && x.target === name);
    const rows = [];
    for (const mode of ['plain', 'stream'] as const)
      for (const c of CONCURRENCY)
        for (const t of targets) {
          const cell = find(mode, c, t.name)!;
          const direct = find(mode, c, 'direct')!;
          rows.push({
            mode,
            conc: c,
            target: t.name,
            'req/s': Math.round(cell.run.requestsPerSecond),
            p50: fmt(cell.p50Us),
            p99: fmt(cell.p99Us),
            '+p50': t.pid === undefined ? '—' : signedMs(cell.p50Us - direct.p50Us),
            '+p99': t.pid === undefined ? '—' : signedMs(cell.p99Us - direct.p99Us),
            'CPU/req': cell.cpuPerRequestUs === undefined ? '—' : fmt(cell.cpuPerRequestUs),
            'peak RSS': mb(cell.peakRss),
            'errors/non-2xx': `${cell.run.errors}/${cell.run.non2xx}`,
          });
        }
    printTable(
      `Chat completions through each gateway, ${SECONDS} s per run (+p50/+p99: over the upstream called directly at the same concurrency; CPU/req: the gateway process's user+system CPU per request)`,
      rows,
    );

    const direct = ttfb[0]!;
    printTable(
      `Streamed chat, time to first byte at concurrency 1 (${TTFB_ROUNDS} rounds, targets interleaved; added = median/p99 of per-round differences to direct)`,
      ttfb.map((row) => {
        const first = stats(row.samples.map((s) => s.firstByteUs));
        const head = stats(row.samples.map((s) => s.headersUs));
        const added = stats(row.addedUs);
        return {
          target: row.target,
          samples: row.samples.length,
          'head p50': fmt(head.medianUs),
          'TTFB p50': fmt(first.medianUs),
          'TTFB p99': fmt(first.p99Us),
          'added p50': row === direct ? '—' : signedMs(added.medianUs),
          'added p99': row === direct ? '—' : signedMs(added.p99Us),
        };
      }),
    );

    printTable(
      'Gateway memory (RSS of the gateway process)',
      gateways.map((g) => ({
        target: g.name,
        'after start': mb(atStart.get(g.name)),
        'idle 2 s (before load)': mb(idle.get(g.name)),
        [`idle ${SETTLE_MS / 1000} s (before load)`]: mb(settled.get(g.name)),
        'idle 2 s after load': mb(idleAfter.get(g.name)?.rss),
        'peak (VmHWM)': mb(idleAfter.get(g.name)?.peak),
      })),
    );
    console.log(`(all three gateways were ready ${Math.round(startupMs)} ms after spawn)`);

    const ratioRows = [];
    for (const mode of ['plain', 'stream'] as const)
      for (const c of CONCURRENCY) {
        const o = find(mode, c, 'orchestrator')!;
        const p = find(mode, c, 'portkey')!;
        const d = find(mode, c, 'direct')!;
        const f = find(mode, c, 'floor')!;
        ratioRows.push({
          mode,
          conc: c,
          'req/s ours÷portkey': ratio(o.run.requestsPerSecond, p.run.requestsPerSecond),
          'req/s ours÷floor': ratio(o.run.requestsPerSecond, f.run.requestsPerSecond),
          'CPU/req ours÷floor': ratio(o.cpuPerRequestUs, f.cpuPerRequestUs),
          '+p50 ours−floor': signedMs(o.p50Us - f.p50Us),
          'CPU/req ours÷portkey': ratio(o.cpuPerRequestUs, p.cpuPerRequestUs),
          '+p50 ours÷portkey': ratio(o.p50Us - d.p50Us, p.p50Us - d.p50Us),
          'peak RSS ours÷portkey': ratio(o.peakRss, p.peakRss),
        });
      }
    printTable('Ratios to Portkey and to the floor (same run)', ratioRows);

    const ours16 = find('plain', 16, 'orchestrator')!;
    const pk16 = find('plain', 16, 'portkey')!;
    const ours64 = find('plain', 64, 'orchestrator')!;
    const pk64 = find('plain', 64, 'portkey')!;
    const ours1 = find('plain', 1, 'orchestrator')!;
    const direct1 = find('plain', 1, 'direct')!;
    const floor1 = find('plain', 1, 'floor')!;
    const ourTtfb = stats(ttfb.find((row) => row.target === 'orchestrator')!.addedUs).medianUs;
    const ourIdle = settled.get('orchestrator') ?? 0;
    const bestRatio = Math.max(
      ours16.run.requestsPerSecond / pk16.run.requestsPerSecond,
      ours64.run.requestsPerSecond / pk64.run.requestsPerSecond,
    );
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    printTable("Issue 5's targets", [
      {
        target: "≥ 3× Portkey's req/s (plain, best of c16/c64)",
        measured: `${bestRatio.toFixed(2)}×`,
        verdict: verdict(bestRatio >= 3),
      },
      {
        target: '≤ 0.3 ms added p50 at concurrency 1 (plain)',
        measured: signedMs(ours1.p50Us - direct1.p50Us),
        verdict: verdict(ours1.p50Us - direct1.p50Us <= 300),
      },
      {
        target:
          '(for reference) the floor: a bare Node forwarder, added p50 at concurrency 1 (plain)',
        measured: signedMs(floor1.p50Us - direct1.p50Us),
        verdict: '—',
      },
      {
        target: '≤ 2 ms added stream TTFB (p50, concurrency 1)',
        measured: signedMs(ourTtfb),
        verdict: verdict(ourTtfb <= 2000),
      },
      {
        target: `≤ 80 MB idle RSS (idle ${SETTLE_MS / 1000} s, before load)`,
        measured: mb(ourIdle),
        verdict: verdict(ourIdle <= 80 * MB),
      },
    ]);
    console.log(`\nload after: ${loadAfter}`);
  } finally {
    await killAll();
  }
}
