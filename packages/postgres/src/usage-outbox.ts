import type { UsageRecord } from './gateway-store.js';

/**
 * Writes a batch of usage records. Must be idempotent per (requestId, attempt)
 * — the outbox replays a batch whose acknowledgement was lost.
 */
export type UsageBatchWriter = (records: readonly UsageRecord[]) => Promise<void>;

export interface UsageOutboxOptions {
  /** Records held while the database is unreachable; past it the OLDEST are dropped. Default 100,000. */
  readonly maxPending?: number;
  /** Records per INSERT. Default 500. */
  readonly batchSize?: number;
  /** First retry delay after a failed write. Default 100 ms. */
  readonly retryBaseMs?: number;
  /** Longest retry delay. Default 30 s. */
  readonly retryMaxMs?: number;
  /** Told about each failed write (no record contents, no secrets: the driver's error). */
  readonly onError?: (error: unknown) => void;
}

export interface UsageOutboxStats {
  readonly pending: number;
  readonly dropped: number;
  readonly written: number;
}

/**
 * The bounded in-memory outbox in front of the usage table.
 *
 * `push` never throws and never waits: the request path only appends to an
 * array. A single background writer drains it in batches; while writes fail it
 * keeps the records and retries with capped, jittered exponential backoff.
 * Past `maxPending` the oldest queued records are dropped and counted — we
 * keep the newest because they are the ones an operator is most likely to be
 * reconciling right after an outage, and because dropping new records would
 * make an outage silently swallow all current traffic.
 */
export class UsageOutbox {
  readonly #write: UsageBatchWriter;
  readonly #maxPending: number;
  readonly #batchSize: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  // A deque: records live in #queue from #head on; compacted when the dead prefix grows.
  #queue: UsageRecord[] = [];
  #head = 0;
  #inFlight: readonly UsageRecord[] = [];
  #dropped = 0;
  #written = 0;
  #failures = 0;
  #running: Promise<boolean> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(write: UsageBatchWriter, options: UsageOutboxOptions = {}) {
    this.#write = write;
    this.#maxPending = positiveInt(options.maxPending ?? 100_000, 'maxPending');
    this.#batchSize = Math.min(
      positiveInt(options.batchSize ?? 500, 'batchSize'),
      this.#maxPending,
    );
    this.#retryBaseMs = positiveInt(options.retryBaseMs ?? 100, 'retryBaseMs');
    this.#retryMaxMs = positiveInt(options.retryMaxMs ?? 30_000, 'retryMaxMs');
    this.#onError = options.onError;
  }

  push(record: UsageRecord): void {
    try {
      this.#queue.push(record);
      // In-flight records were already sent; they cannot be recalled, so the
      // bound trims the queue behind them.
      while (this.#queued() > 0 && this.#queued() + this.#inFlight.length > this.#maxPending) {
        this.#head++;
        this.#dropped++;
      }
      this.#compact();
      this.#schedule(0);
    } catch {
      // Recording usage must never fail a request.
    }
  }

  stats(): UsageOutboxStats {
    return {
      pending: this.#queued() + this.#inFlight.length,
      dropped: this.#dropped,
      written: this.#written,
    };
  }

  /**
   * Writes until the outbox is empty (true) or a write fails (false): a down
   * database ends the wait at once instead of hanging the caller.
   */
  async flush(): Promise<boolean> {
    for (;;) {
      if (this.#running !== undefined) {
        if (!(await this.#running)) return false;
        continue;
      }
      if (this.#queued() === 0) return true;
      if (!(await this.#drainOnce())) return false;
    }
  }

  /** Stops background retries (flush first to write what is queued). */
  close(): void {
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #queued(): number {
    return this.#queue.length - this.#head;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #schedule(delayMs: number): void {
    if (this.#closed || this.#running !== undefined || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#running === undefined && this.#queued() > 0) void this.#drainOnce();
    }, delayMs);
    // A pending retry must not keep the process alive on its own.
    this.#retryTimer.unref?.();
  }

  /** One batch write; resolves true on success. Never rejects. */
  #drainOnce(): Promise<boolean> {
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    const batch = this.#queue.slice(this.#head, this.#head + this.#batchSize);
    this.#head += batch.length;
    this.#compact();
    this.#inFlight = batch;
    const run = (async (): Promise<boolean> => {
      try {
        await this.#write(batch);
        this.#written += batch.length;
        this.#failures = 0;
        return true;
      } catch (error) {
        // Put the batch back at the front: it is older than anything queued
        // since. The writer's ON CONFLICT makes the replay harmless if the
        // database did commit it and only the acknowledgement was lost.
        this.#queue = batch.concat(this.#queue.slice(this.#head));
        this.#head = 0;
        this.#failures++;
        try {
          this.#onError?.(error);
        } catch {
          // A faulty listener must not stop the writer.
        }
        return false;
      } finally {
        this.#inFlight = [];
        this.#running = undefined;
      }
    })();
    this.#running = run;
    void run.then((ok) => {
      if (this.#queued() === 0) return;
      this.#schedule(ok ? 0 : this.#backoffMs());
    });
    return run;
  }

  #backoffMs(): number {
    const exp = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.min(this.#failures, 20));
    // Full jitter in the upper half, so many instances do not retry in step.
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`usage outbox: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
