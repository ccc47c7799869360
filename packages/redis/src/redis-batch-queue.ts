import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { BatchItemStore, type BatchStatus } from './batch-item-store.js';
import { createRedisClient } from './create-redis-client.js';
import { whenRedisReady, withRedisTimeout } from './with-redis-timeout.js';

export interface RedisBatchQueueOptions {
  /** `redis://` or `rediss://` URL; the queue opens its own connections (BullMQ needs dedicated ones). */
  readonly url: string;
  /** BullMQ queue name (no `:`). Default `orchestrator-batch`. */
  readonly queueName?: string;
  /** Prefix of BullMQ's keys and of the batch bookkeeping. Default `orch:batch`. */
  readonly keyPrefix?: string;
  /** Tries per item before it is recorded as failed. Default 3. */
  readonly attempts?: number;
  /** First retry delay (exponential). Default 1,000 ms. */
  readonly backoffMs?: number;
  /** How long batch outcomes (and finished jobs) are kept. Default 7 days. */
  readonly retentionMs?: number;
  /** Most items in one submit. Default 10,000. */
  readonly maxItems?: number;
  /** Budget of submit/status calls. Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** A worker that stops renewing its lock for this long is presumed dead. Default 30,000 ms. */
  readonly lockDurationMs?: number;
  /** How often workers look for items whose worker died. Default 30,000 ms. */
  readonly stalledIntervalMs?: number;
  /** Times an item may be orphaned by a dead worker before it is failed. Default 2. */
  readonly maxStalledCount?: number;
  /** Longest wait for a worker to close (running items finish first). Default 10,000 ms. */
  readonly closeTimeoutMs?: number;
  /** Told about connection and worker errors (never thrown at the process). */
  readonly onError?: (error: unknown) => void;
}

export interface BatchItemContext {
  readonly batchId: string;
  readonly index: number;
  /** 1 on the first try. */
  readonly attempt: number;
}

export type BatchItemHandler<I, R> = (item: I, context: BatchItemContext) => Promise<R>;

export interface BatchProcessOptions {
  /** Items run at once by this worker. Default 4. */
  readonly concurrency?: number;
  /** Told after each item this worker settled: its outcome was recorded as completed or as finally failed. */
  readonly onSettled?: (event: {
    batchId: string;
    index: number;
    status: 'completed' | 'failed';
  }) => void;
}

export interface BatchWorkerHandle {
  /** Stops taking items; waits for the running ones unless `force` (then they are left to another worker). */
  close(force?: boolean): Promise<void>;
}

interface JobData<I> {
  readonly batchId: string;
  readonly index: number;
  readonly item: I;
}

const BATCH_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Batches on BullMQ, shared by every instance: `submit` enqueues one job per
 * item with a deterministic job id (`<batchId>-<index>`; BullMQ forbids a
 * single `:` in custom ids), so submitting the same batch twice enqueues
 * nothing new; `process` runs items on whichever instance calls it;
 * `status` reads progress and outcomes from any instance. A failing item is
 * retried `attempts` times with backoff, then recorded as failed; an item
 * whose worker died (lock not renewed) is put back by BullMQ's stalled-job
 * check and run by another worker.
 */
export class RedisBatchQueue<I = unknown, R = unknown> {
  readonly queueName: string;
  readonly #options: RedisBatchQueueOptions;
  readonly #client: Redis;
  readonly #queue: Queue<JobData<I>>;
  readonly #items: BatchItemStore;
  readonly #workers = new Set<BatchWorkerHandle>();
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #retentionMs: number;

  constructor(options: RedisBatchQueueOptions) {
    this.#options = options;
    this.queueName = options.queueName ?? 'orchestrator-batch';
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    this.#attempts = options.attempts ?? 3;
    if (!Number.isInteger(this.#attempts) || this.#attempts < 1) {
      throw new RangeError('attempts must be a positive integer');
    }
    this.#retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
    const prefix = options.keyPrefix ?? 'orch:batch';
    this.#client = createRedisClient(options.url, {
      commandTimeoutMs: this.#timeoutMs,
      connectTimeoutMs: 1_000,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    this.#queue = new Queue<JobData<I>>(this.queueName, { connection: this.#client, prefix });
    this.#queue.on('error', (error) => this.#report(error));
    this.#items = new BatchItemStore(
      this.#client,
      `${prefix}:${this.queueName}:b:`,
      this.#retentionMs,
      this.#timeoutMs,
    );
  }

  /**
   * Enqueues the batch's items. Items that already have an outcome are skipped
   * (`enqueued` does not count them). Items still waiting or running are
   * offered again, and BullMQ drops them as duplicates of their job id. So a
   * re-submit never runs an item twice.
   */
  async submit(
    batchId: string,
    items: readonly I[],
  ): Promise<{ batchId: string; total: number; enqueued: number }> {
    if (typeof batchId !== 'string' || !BATCH_ID.test(batchId)) {
      throw new TypeError('batchId must be 1-128 characters of A-Z, a-z, 0-9, _, . or -');
    }
    const max = this.#options.maxItems ?? 10_000;
    if (!Array.isArray(items) || items.length === 0 || items.length > max) {
      throw new RangeError(
        `a batch holds 1 to ${max} items, got ${Array.isArray(items) ? items.length : 'none'}`,
      );
    }
    await whenRedisReady(this.#client, this.#timeoutMs, 'batch submit');
    const { total, settled } = await this.#items.open(batchId, items.length, Date.now());
    if (total !== items.length) {
      throw new RangeError(`batch ${batchId} was already submitted with ${total} items`);
    }
    const keepSeconds = Math.ceil(this.#retentionMs / 1000);
    const jobs = items.flatMap((item, index) =>
      settled.has(index)
        ? []
        : [
            {
              name: 'item',
              data: { batchId, index, item },
              opts: {
                jobId: `${batchId}-${index}`,
                attempts: this.#attempts,
                backoff: { type: 'exponential', delay: this.#options.backoffMs ?? 1_000 },
                // Finished jobs stay as long as the outcomes, so a re-submit finds their ids taken.
                removeOnComplete: { age: keepSeconds },
                removeOnFail: { age: keepSeconds },
              },
            },
          ],
    );
    if (jobs.length > 0) {
      await withRedisTimeout(this.#queue.addBulk(jobs), this.#timeoutMs, 'batch submit');
    }
    return { batchId, total, enqueued: jobs.length };
  }

  /** Progress of a batch (and the outcome of each item with `items: true`); undefined when unknown. */
  async status(
    batchId: string,
    options: { items?: boolean } = {},
  ): Promise<BatchStatus<R> | undefined> {
    if (typeof batchId !== 'string' || !BATCH_ID.test(batchId)) return undefined;
    await whenRedisReady(this.#client, this.#timeoutMs, 'batch status');
    return this.#items.status<R>(batchId, options.items ?? false);
  }

  /** Runs items of every batch on this instance, `concurrency` at a time (default 4). */
  process(handler: BatchItemHandler<I, R>, options: BatchProcessOptions = {}): BatchWorkerHandle {
    const settled = (batchId: string, index: number, status: 'completed' | 'failed'): void => {
      try {
        options.onSettled?.({ batchId, index, status });
      } catch (error) {
        this.#report(error);
      }
    };
    const connection = new Redis(this.#options.url, { maxRetriesPerRequest: null });
    connection.on('error', (error: Error) => this.#report(error));
    const worker = new Worker<JobData<I>>(
      this.queueName,
      async (job: Job<JobData<I>>) => {
        const { batchId, index, item } = job.data;
        let result: R;
        try {
          result = await handler(item, { batchId, index, attempt: job.attemptsMade + 1 });
        } catch (error) {
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            await this.#items.fail(batchId, index, messageOf(error));
            settled(batchId, index, 'failed');
          }
          throw error;
        }
        await this.#items.complete(batchId, index, result);
        settled(batchId, index, 'completed');
        // The result lives in the batch outcomes; the job need not carry a second copy.
        return null;
      },
      {
        connection,
        prefix: this.#options.keyPrefix ?? 'orch:batch',
        concurrency: options.concurrency ?? 4,
        lockDuration: this.#options.lockDurationMs ?? 30_000,
        stalledInterval: this.#options.stalledIntervalMs ?? 30_000,
        maxStalledCount: this.#options.maxStalledCount ?? 2,
      },
    );
    worker.on('error', (error) => this.#report(error));
    // Items failed by BullMQ itself (stalled too often) never reach the handler's catch.
    worker.on('failed', (job, error) => {
      if (job === undefined) return;
      void job
        .getState()
        .then((state) =>
          state === 'failed'
            ? this.#items.fail(job.data.batchId, job.data.index, messageOf(error))
            : undefined,
        )
        .catch((e: unknown) => this.#report(e));
    });
    const handle: BatchWorkerHandle = {
      close: async (force = false) => {
        this.#workers.delete(handle);
        // With Redis down there is nothing to drain, and BullMQ would wait for a
        // connection that may never come: cut it first, then close.
        const down = connection.status !== 'ready';
        if (down) connection.disconnect();
        await bounded(
          worker.close(force || down).catch((e: unknown) => this.#report(e)),
          this.#options.closeTimeoutMs ?? 10_000,
        );
        connection.disconnect();
      },
    };
    this.#workers.add(handle);
    return handle;
  }

  /** Closes the workers of this instance (waiting for their items) and the connections. */
  async close(): Promise<void> {
    await Promise.all([...this.#workers].map((w) => w.close()));
    await this.#queue.close().catch((e: unknown) => this.#report(e));
    this.#client.disconnect();
  }

  #report(error: unknown): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A faulty listener must not crash a worker.
    }
  }
}

/** Waits for `work`, at most `ms`: shutdown must finish even when a dependency does not. */
async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
