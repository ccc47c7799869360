import type { Redis } from 'ioredis';
import { toRedisError } from './redis-errors.js';
import { withRedisTimeout } from './with-redis-timeout.js';

/** The outcome of one item, as any instance reads it. */
export type BatchItemOutcome<R> =
  | { readonly index: number; readonly status: 'completed'; readonly result: R }
  | { readonly index: number; readonly status: 'failed'; readonly error: string };

export interface BatchStatus<R> {
  readonly batchId: string;
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly pending: number;
  /** `queued` before any item finished, `running` until every item has an outcome, then `done`. */
  readonly state: 'queued' | 'running' | 'done';
  readonly createdAt: number;
  /** Outcomes by index, when asked for. */
  readonly items?: readonly BatchItemOutcome<R>[];
}

/**
 * Per-batch bookkeeping beside the BullMQ jobs: a meta hash (total,
 * createdAt) and two hashes of outcomes by item index. Writing an outcome is
 * an idempotent HSET of the item's own field, so an item processed twice
 * (a worker crashed after finishing it but before BullMQ recorded that) is
 * still counted once.
 */
export class BatchItemStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly retentionMs: number,
    private readonly timeoutMs: number,
  ) {}

  #keys(batchId: string): { meta: string; done: string; failed: string } {
    const base = `${this.prefix}${batchId}`;
    return { meta: `${base}:meta`, done: `${base}:done`, failed: `${base}:failed` };
  }

  /** Records the batch (first submit wins) and returns its total and the indices already settled. */
  async open(
    batchId: string,
    total: number,
    now: number,
  ): Promise<{ total: number; settled: Set<number> }> {
    const k = this.#keys(batchId);
    const tx = this.client
      .multi()
      .hsetnx(k.meta, 'total', total)
      .hsetnx(k.meta, 'createdAt', now)
      .pexpire(k.meta, this.retentionMs)
      .hget(k.meta, 'total')
      .hkeys(k.done)
      .hkeys(k.failed);
    const results = await this.#run('batch open', tx.exec());
    const value = (i: number): unknown => results?.[i]?.[1];
    const settled = new Set<number>();
    for (const i of [4, 5])
      for (const f of (value(i) as string[] | undefined) ?? []) settled.add(Number(f));
    return { total: Number(value(3) ?? total), settled };
  }

  async complete(batchId: string, index: number, result: unknown): Promise<void> {
    const json = JSON.stringify(result === undefined ? null : result);
    await this.#write(batchId, 'done', index, json, false);
  }

  /** Only the first failure is kept; a completed item is never turned into a failed one. */
  async fail(batchId: string, index: number, message: string): Promise<void> {
    await this.#write(batchId, 'failed', index, JSON.stringify(message.slice(0, 500)), true);
  }

  async #write(
    batchId: string,
    which: 'done' | 'failed',
    index: number,
    json: string,
    once: boolean,
  ): Promise<void> {
    const k = this.#keys(batchId);
    const tx = this.client.multi();
    if (once) tx.hsetnx(k[which], String(index), json);
    else tx.hset(k[which], String(index), json);
    if (which === 'done') tx.hdel(k.failed, String(index));
    tx.pexpire(k[which], this.retentionMs);
    await this.#run(`batch ${which}`, tx.exec());
  }

  async status<R>(batchId: string, withItems: boolean): Promise<BatchStatus<R> | undefined> {
    const k = this.#keys(batchId);
    const tx = this.client.multi().hgetall(k.meta);
    if (withItems) tx.hgetall(k.done).hgetall(k.failed);
    else tx.hlen(k.done).hlen(k.failed);
    const results = await this.#run('batch status', tx.exec());
    const meta = (results?.[0]?.[1] ?? {}) as Record<string, string>;
    if (meta.total === undefined) return undefined;
    const total = Number(meta.total);
    let completed: number;
    let failed: number;
    let items: BatchItemOutcome<R>[] | undefined;
    if (withItems) {
      const done = (results?.[1]?.[1] ?? {}) as Record<string, string>;
      const bad = (results?.[2]?.[1] ?? {}) as Record<string, string>;
      items = [];
      for (const [i, json] of Object.entries(done)) {
        items.push({ index: Number(i), status: 'completed', result: JSON.parse(json) as R });
      }
      for (const [i, json] of Object.entries(bad)) {
        if (!Object.hasOwn(done, i))
          items.push({ index: Number(i), status: 'failed', error: JSON.parse(json) as string });
      }
      items.sort((a, b) => a.index - b.index);
      completed = Object.keys(done).length;
      failed = items.length - completed;
    } else {
      completed = Number(results?.[1]?.[1] ?? 0);
      failed = Number(results?.[2]?.[1] ?? 0);
    }
    const pending = Math.max(0, total - completed - failed);
    return {
      batchId,
      total,
      completed,
      failed,
      pending,
      state: pending === 0 ? 'done' : completed + failed === 0 ? 'queued' : 'running',
      createdAt: Number(meta.createdAt ?? 0),
      ...(items === undefined ? {} : { items }),
    };
  }

  async #run(
    operation: string,
    work: Promise<[Error | null, unknown][] | null>,
  ): Promise<[Error | null, unknown][] | null> {
    const results = await withRedisTimeout(work, this.timeoutMs, operation);
    const failed = results?.find(([error]) => error !== null);
    if (failed?.[0]) throw toRedisError(operation, failed[0]);
    return results;
  }
}
