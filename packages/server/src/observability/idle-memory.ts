import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Gives memory back to the operating system once the gateway has been idle.
 *
 * V8 sizes its young generation for the traffic it has seen: module loading at
 * startup grows it to ~15 MB resident, and a load burst to ~33 MB. It never
 * shrinks it while the process only waits — no collection runs without
 * allocation — so an idle gateway keeps the memory its busiest moment needed.
 * V8 does shrink it (to 1 MB) after a full collection that finds allocation
 * since the one before slow (under ~1 KB/ms over its 5 s window). Hence two
 * plain full collections: the first, once idle, collects what the traffic left
 * behind; the second, `settleMs` later and still idle, finds almost nothing
 * allocated since and lets V8 shrink the young generation. On
 * bench/src/gateway's gateway: 85 → 72 MB idle after startup, and the young
 * generation 32 → 1 MB after a load run (5 of 5 tries), for 6–10 ms of pauses
 * in all.
 *
 * Why not V8's low-memory collection (`Isolate::LowMemoryNotification`,
 * reachable through node:inspector's HeapProfiler.collectGarbage): it shrinks
 * the young generation every time, but pauses 50–150 ms and drops the
 * optimized code — the first 2 s of traffic after it took 2–2.8× the CPU per
 * request at concurrency 64 (about 3 s of CPU) while V8 re-optimized ~200
 * functions. After the two plain collections the same traffic cost what it
 * costs without any (medians 560 vs 534 µs per request, within noise).
 *
 * The heap is one per process, so the schedule is too: a process that runs
 * several servers collects only when none of them has a request in flight.
 */
export interface IdleMemoryReleaseOptions {
  /** No request in flight for this long counts as idle. */
  readonly idleMs: number;
  /** Least time between two releases. */
  readonly minIntervalMs: number;
  /** Release only when at least this much could be given back (see `reclaimableHeapBytes`). */
  readonly minReclaimableBytes: number;
  /** Between the two collections (≥ V8's 5 s allocation-rate window). Default 6 s. */
  readonly settleMs?: number;
  /**
   * Runs the release; resolves with the time the process was paused (ms), or
   * undefined when traffic came back first. Default: `idleCollection`.
   */
  readonly collect?: (stillIdle: () => boolean, settleMs: number) => Promise<number | undefined>;
  /** Measures what a release could give back. Default: `reclaimableHeapBytes`. */
  readonly reclaimable?: () => number;
  /** Told after each completed release, or when releases cannot run here. */
  readonly onCollected?: (outcome: IdleCollection) => void;
  readonly now?: () => number;
  /** The process-wide state to share. Default: this process's one (tests pass their own). */
  readonly activity?: HeapActivity;
}

/** What one collection did, for the log and the metrics. */
export type IdleCollection =
  | { readonly ok: true; readonly reclaimableBefore: number; readonly pauseMs: number }
  | { readonly ok: false; readonly error: unknown };

/**
 * Bytes a release could return: all of the young generation's resident pages
 * (emptied and shrunk to 1 MB) plus what the other spaces hold resident beyond
 * their live objects.
 */
export function reclaimableHeapBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') bytes += space.physical_space_size;
    else bytes += Math.max(0, space.physical_space_size - space.space_used_size);
  }
  return bytes;
}

let fullCollection: (() => void) | undefined;

/**
 * A plain full collection now: V8's gc extension, made available once.
 * `--expose-gc` set at run time reaches only contexts created after it, so
 * the process's own global object gains no `gc`.
 */
function collectNow(): number {
  if (fullCollection === undefined) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  const started = performance.now();
  fullCollection();
  return performance.now() - started;
}

/**
 * The two full collections described above: one now, one `settleMs` later if
 * `stillIdle()` then. Resolves with the pause time (ms), or undefined when the
 * process was busy again before the second.
 */
export async function idleCollection(
  stillIdle: () => boolean,
  settleMs: number,
): Promise<number | undefined> {
  const first = collectNow();
  await new Promise<void>((resolve) => setTimeout(resolve, settleMs).unref());
  if (!stillIdle()) return undefined;
  return first + collectNow();
}

/** What every server in a process shares: requests in flight and the last collection. */
export class HeapActivity {
  inFlight = 0;
  /** When the last request ended, on `now`'s clock. */
  lastEnd = 0;
  lastCollection = Number.NEGATIVE_INFINITY;
  collecting = false;
}

const processActivity = new HeapActivity();

export class IdleMemoryRelease {
  readonly #options: IdleMemoryReleaseOptions;
  readonly #now: () => number;
  readonly #activity: HeapActivity;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Set when collections cannot run in this process: stop trying. */
  #unavailable = false;

  constructor(options: IdleMemoryReleaseOptions) {
    this.#options = options;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#activity = options.activity ?? processActivity;
  }

  /** Arms the first check: startup leaves the young generation grown. */
  start(): void {
    this.#stopped = false;
    this.#activity.lastEnd = this.#now();
    this.#arm(this.#options.idleMs);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A request began. Cheap: one increment (it runs on every request). */
  requestStarted(): void {
    this.#activity.inFlight++;
  }

  /** A request ended (its response closed). Arms a check unless one is pending. */
  requestEnded(): void {
    this.#activity.inFlight--;
    this.#activity.lastEnd = this.#now();
    if (this.#timer === undefined && !this.#stopped && !this.#unavailable)
      this.#arm(this.#options.idleMs);
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => void this.#check(), Math.max(1, delayMs));
    // Never keeps the process alive on its own.
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    this.#timer = undefined;
    if (this.#stopped) return;
    const { idleMs, minIntervalMs, minReclaimableBytes } = this.#options;
    const now = this.#now();
    // Busy, or idle for less than idleMs: look again once it could be idle long enough.
    const activity = this.#activity;
    if (activity.inFlight > 0 || activity.collecting) return this.#arm(idleMs);
    const quietFor = now - activity.lastEnd;
    if (quietFor < idleMs) return this.#arm(idleMs - quietFor);
    const sinceLast = now - activity.lastCollection;
    if (sinceLast < minIntervalMs) return this.#arm(minIntervalMs - sinceLast);
    const reclaimable = (this.#options.reclaimable ?? reclaimableHeapBytes)();
    // Too little to give back: wait for traffic (requestEnded arms the next check).
    if (reclaimable < minReclaimableBytes) return;
    const previous = activity.lastCollection;
    activity.collecting = true;
    activity.lastCollection = now;
    // Idle still: nothing in flight and no request ended since the release began.
    const stillIdle = () => !this.#stopped && activity.inFlight === 0 && activity.lastEnd <= now;
    try {
      const collect = this.#options.collect ?? idleCollection;
      const pauseMs = await collect(stillIdle, this.#options.settleMs ?? 6_000);
      // Traffic came back first: the next idle period tries again (requestEnded arms it).
      if (pauseMs === undefined) activity.lastCollection = previous;
      else this.#options.onCollected?.({ ok: true, reclaimableBefore: reclaimable, pauseMs });
    } catch (error) {
      this.#unavailable = true;
      this.#options.onCollected?.({ ok: false, error });
    } finally {
      activity.collecting = false;
    }
  }
}
