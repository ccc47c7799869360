import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Gives memory back to the operating system once the gateway has been idle.
 *
 * V8 sizes its young generation for the traffic it has seen: module loading at
 * startup grows it to ~15 MB resident, and a load burst to ~33 MB. It never
 * shrinks it while the process only waits — no collection runs without
 * allocation — so an idle gateway keeps the memory its busiest moment needed.
 * A low-memory collection (what V8 runs under memory pressure) empties it,
 * shrinks it to its initial 1 MB and compacts the old generation: on
 * bench/src/gateway's gateway, 86 → 73 MB idle after startup and 119 → 80 MB
 * idle after a load run.
 *
 * Its price, and why it waits so long: the collection blocks the event loop
 * for 50–150 ms on the project's 2-core machine, and V8 drops the optimized
 * code with it — the first seconds of traffic after it cost about twice the
 * CPU per request while ~200 functions are optimized again (≈3 s of CPU at
 * concurrency 64, measured). So it runs only when no request has been in
 * flight for `idleMs` (server default 30 s), at most once per `minIntervalMs`
 * (10 min), and only when the heap holds at least `minReclaimableBytes` it
 * could give back. A plain major collection would keep the code, but shrinks
 * the young generation only when V8's own allocation-rate heuristic agrees
 * (it did in 1 of 4 tries), so it cannot be relied on.
 *
 * The heap is one per process, so the schedule is too: a process that runs
 * several servers collects only when none of them has a request in flight.
 */
export interface IdleMemoryReleaseOptions {
  /** No request in flight for this long counts as idle. */
  readonly idleMs: number;
  /** Least time between two collections. */
  readonly minIntervalMs: number;
  /** Collect only when at least this much could be given back (see `reclaimableHeapBytes`). */
  readonly minReclaimableBytes: number;
  /** Runs the collection. Default: V8's low-memory collection through node:inspector. */
  readonly collect?: () => Promise<void>;
  /** Measures what a collection could give back. Default: `reclaimableHeapBytes`. */
  readonly reclaimable?: () => number;
  /** Told after each collection, or when collections cannot run here. */
  readonly onCollected?: (outcome: IdleCollection) => void;
  readonly now?: () => number;
  /** The process-wide state to share. Default: this process's one (tests pass their own). */
  readonly activity?: HeapActivity;
}

/** What one collection did, for the log and the metrics. */
export type IdleCollection =
  | { readonly ok: true; readonly reclaimableBefore: number; readonly durationMs: number }
  | { readonly ok: false; readonly error: unknown };

/**
 * Bytes a low-memory collection could return: all of the young generation's
 * resident pages (a collection empties it and shrinks it to its initial size)
 * plus what the other spaces hold resident beyond their live objects.
 */
export function reclaimableHeapBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') bytes += space.physical_space_size;
    else bytes += Math.max(0, space.physical_space_size - space.space_used_size);
  }
  return bytes;
}

/**
 * V8's low-memory collection (`Isolate::LowMemoryNotification`), reached
 * through the inspector's HeapProfiler.collectGarbage on an in-process session
 * — no port is opened, no flag is needed. `gc()` from `--expose-gc` does not
 * shrink the young generation; this does. The session is disconnected on a
 * later turn: disconnecting from inside its reply hangs Node 20's inspector.
 */
export async function lowMemoryCollection(): Promise<void> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.collectGarbage');
  } finally {
    setImmediate(() => session.disconnect());
  }
}

/** What every server in a process shares: requests in flight and the last collection. */
export class HeapActivity {
  inFlight = 0;
  lastCollection = Number.NEGATIVE_INFINITY;
  collecting = false;
}

const processActivity = new HeapActivity();

export class IdleMemoryRelease {
  readonly #options: IdleMemoryReleaseOptions;
  readonly #now: () => number;
  readonly #activity: HeapActivity;
  #lastEnd = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Set when collections cannot run in this Node (no inspector): stop trying. */
  #unavailable = false;

  constructor(options: IdleMemoryReleaseOptions) {
    this.#options = options;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#activity = options.activity ?? processActivity;
  }

  /** Arms the first check: startup leaves the young generation grown. */
  start(): void {
    this.#stopped = false;
    this.#lastEnd = this.#now();
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
    this.#lastEnd = this.#now();
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
    const quietFor = now - this.#lastEnd;
    if (quietFor < idleMs) return this.#arm(idleMs - quietFor);
    const sinceLast = now - activity.lastCollection;
    if (sinceLast < minIntervalMs) return this.#arm(minIntervalMs - sinceLast);
    const reclaimable = (this.#options.reclaimable ?? reclaimableHeapBytes)();
    // Too little to give back: wait for traffic (requestEnded arms the next check).
    if (reclaimable < minReclaimableBytes) return;
    activity.collecting = true;
    activity.lastCollection = now;
    try {
      await (this.#options.collect ?? lowMemoryCollection)();
      this.#options.onCollected?.({
        ok: true,
        reclaimableBefore: reclaimable,
        durationMs: this.#now() - now,
      });
    } catch (error) {
      this.#unavailable = true;
      this.#options.onCollected?.({ ok: false, error });
    } finally {
      activity.collecting = false;
    }
  }
}
