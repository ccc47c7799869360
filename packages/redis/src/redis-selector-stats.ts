import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisScript } from './redis-script.js';
import { withRedisTimeout } from './with-redis-timeout.js';

/** One arm's sufficient statistics, as `UCBModelSelector.exportState()` gives them. */
export interface ArmState {
  readonly model: string;
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
  readonly pulls: number;
}

/** What can be shared: `UCBModelSelector` fits (its export/import pair). */
export interface ShareableSelector {
  exportState(): { readonly arms: readonly ArmState[] };
  importState(state: { readonly arms: readonly ArmState[] }): void;
}

export interface RedisSelectorStatsOptions {
  readonly client: Redis;
  readonly selector: ShareableSelector;
  /** Selectors with the same name share statistics. Default `default`. */
  readonly name?: string;
  /** Default `orch:ucb:`. */
  readonly keyPrefix?: string;
  /** Period of the background sync started by `start()`. Default 1,000 ms. */
  readonly intervalMs?: number;
  /** Budget of one sync. Default 200 ms. */
  readonly timeoutMs?: number;
  /** Told about failed syncs (the selector keeps working on local data meanwhile). */
  readonly onError?: (error: unknown) => void;
}

const STATS = ['n', 'sum', 'sumSq', 'pulls'] as const;
type Stat = (typeof STATS)[number];
type Arms = Map<string, Record<Stat, number>>;

/** How long a sync sequence number is remembered: far longer than any retry of it. */
const SEQ_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Applies one instance's delta once per sequence number, then returns the
 * fleet totals. KEYS: totals hash (field `<stat>:<model>`), this instance's
 * last applied sequence. ARGV: seq, seq TTL, then field/delta pairs.
 */
const SYNC = new RedisScript(`
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) > last then
  for i = 3, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1]) end
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
end
return redis.call('HGETALL', KEYS[1])
`);

interface Pending {
  readonly seq: number;
  readonly delta: Arms;
  /** The local state the delta was taken from. */
  readonly local: Arms;
}

/**
 * Shares a bandit selector's statistics across gateway instances. Each sync
 * pushes the outcomes this instance saw since the last sync (its exported
 * state minus the fleet totals it last imported) into one Redis hash with
 * HINCRBYFLOAT, and imports the fleet totals back. Every outcome is counted
 * exactly once: a delta carries a per-instance sequence number that the
 * script applies at most once, and a delta whose reply was lost is re-sent
 * as is (same number) before any new one is taken. Outcomes that arrive
 * while a sync is in flight are kept on top of the imported totals.
 *
 * With a discount below 1 each instance's decay also travels in its deltas,
 * so fleet totals decay with the fleet's total number of outcomes.
 */
export class RedisSelectorStats {
  readonly instanceId = randomUUID();
  readonly #client: Redis;
  readonly #selector: ShareableSelector;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #totalsKey: string;
  readonly #seqKey: string;
  #baseline: Arms = new Map();
  #pending: Pending | undefined;
  #seq = 0;
  #running: Promise<boolean> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RedisSelectorStatsOptions) {
    this.#client = options.client;
    this.#selector = options.selector;
    this.#intervalMs = options.intervalMs ?? 1_000;
    if (!(this.#intervalMs > 0) || !Number.isFinite(this.#intervalMs)) {
      throw new RangeError(`intervalMs must be a positive finite number, got ${this.#intervalMs}`);
    }
    this.#timeoutMs = options.timeoutMs ?? 200;
    this.#onError = options.onError;
    const base = `${options.keyPrefix ?? 'orch:ucb:'}${options.name ?? 'default'}`;
    this.#totalsKey = `${base}:totals`;
    this.#seqKey = `${base}:seq:${this.instanceId}`;
  }

  /** Syncs every `intervalMs` in the background (the timer never keeps the process alive). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.sync(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the timer and makes a last attempt to push what is pending. */
  async close(): Promise<void> {
    this.stop();
    await this.sync();
  }

  /**
   * One push-and-pull. Resolves true when the selector now holds the fleet
   * totals, false when Redis failed (reported to `onError`; nothing is lost,
   * the delta is re-sent next time). Concurrent calls share one run.
   */
  sync(): Promise<boolean> {
    this.#running ??= this.#sync().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sync(): Promise<boolean> {
    if (this.#pending === undefined) {
      const local = toArms(this.#selector.exportState().arms);
      this.#pending = { seq: ++this.#seq, delta: subtract(local, this.#baseline), local };
    }
    const pending = this.#pending;
    const args: (string | number)[] = [pending.seq, SEQ_TTL_MS];
    for (const [model, stats] of pending.delta) {
      for (const stat of STATS) if (stats[stat] !== 0) args.push(`${stat}:${model}`, stats[stat]);
    }
    let reply: unknown;
    try {
      reply = await withRedisTimeout(
        SYNC.run(this.#client, [this.#totalsKey, this.#seqKey], args),
        this.#timeoutMs,
        'selector stats sync',
      );
    } catch (error) {
      try {
        this.#onError?.(error);
      } catch {
        // A faulty listener must not stop the next sync.
      }
      return false;
    }
    const totals = parseTotals(reply);
    // Outcomes recorded while the script ran are not in the totals yet: keep them.
    const extra = subtract(toArms(this.#selector.exportState().arms), pending.local);
    this.#pending = undefined;
    this.#baseline = totals;
    this.#selector.importState({ arms: fromArms(add(totals, extra)) });
    return true;
  }
}

function zero(): Record<Stat, number> {
  return { n: 0, sum: 0, sumSq: 0, pulls: 0 };
}

function toArms(arms: readonly ArmState[]): Arms {
  const out: Arms = new Map();
  for (const a of arms) out.set(a.model, { n: a.n, sum: a.sum, sumSq: a.sumSq, pulls: a.pulls });
  return out;
}

function fromArms(arms: Arms): ArmState[] {
  return [...arms].map(([model, s]) => ({
    model,
    n: Math.max(0, s.n),
    sum: Math.max(0, s.sum),
    sumSq: Math.max(0, s.sumSq),
    pulls: Math.max(0, Math.round(s.pulls)),
  }));
}

function combine(a: Arms, b: Arms, sign: 1 | -1): Arms {
  const out: Arms = new Map();
  for (const model of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(model) ?? zero();
    const y = b.get(model) ?? zero();
    const r = zero();
    for (const stat of STATS) r[stat] = x[stat] + sign * y[stat];
    out.set(model, r);
  }
  return out;
}

const add = (a: Arms, b: Arms): Arms => combine(a, b, 1);
const subtract = (a: Arms, b: Arms): Arms => combine(a, b, -1);

function parseTotals(reply: unknown): Arms {
  const out: Arms = new Map();
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = String(reply[i]);
    const at = field.indexOf(':');
    const stat = field.slice(0, at) as Stat;
    if (at < 0 || !STATS.includes(stat)) continue;
    const model = field.slice(at + 1);
    const value = Number(reply[i + 1]);
    if (!Number.isFinite(value)) continue;
    const arm = out.get(model) ?? zero();
    arm[stat] = value;
    out.set(model, arm);
  }
  return out;
}
