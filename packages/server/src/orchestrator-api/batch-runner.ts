import type { OrchestratorRequest } from '@orchestrator/core';
import type { BatchItemRecord } from '@orchestrator/postgres';
import type { GatewayContext } from '../gateway-context.js';
import { newRequestId, recordUsage } from '../gateway-context.js';
import { toApiError } from '../http/api-error.js';

/** What a batch item stores: the normalized request and its options, never a signal. */
export type StoredBatchRequest = Omit<OrchestratorRequest, 'signal' | 'requestId'>;

/** How every instance learns at once that a batch has work (Redis pub/sub); optional. */
export interface BatchWakeup {
  notify(batchId: string): Promise<unknown>;
  listen(handler: (batchId: string) => void): Promise<void>;
  close(): void;
}

export interface BatchRunnerOptions {
  /** Items of one batch this instance runs at once. */
  readonly concurrency: number;
  /** A claim not renewed for this long is another instance's to take over. */
  readonly leaseMs: number;
  /** How often unfinished batches are looked for. */
  readonly pollIntervalMs: number;
  readonly wakeup?: BatchWakeup | undefined;
}

/**
 * Runs batches on every instance that shares the database. The database
 * holds the items and their claims — `claim` hands each item to one worker
 * at a time (FOR UPDATE SKIP LOCKED), `complete` records its outcome once —
 * so the instances need no coordinator: each one claims what is free.
 *
 * - A submit starts the batch here and, with Redis, wakes every other
 *   instance at once; without it (or when a wake-up is lost) the others find
 *   the batch at their next poll.
 * - While an item runs, its claim is renewed every third of `leaseMs`. An
 *   instance that dies stops renewing; once its claims are `leaseMs` old
 *   another instance's poll takes those items over — no restart needed.
 * - Items already completed are never run again. Only an item that was in
 *   flight on the instance that died is run a second time (its first call's
 *   outcome was never recorded); its outcome is still recorded once.
 */
export class BatchRunner {
  readonly #ctx: GatewayContext;
  readonly #options: BatchRunnerOptions;
  readonly #running = new Map<string, Promise<void>>();
  /** Indices of the items this instance is running now, per batch: the claims to renew. */
  readonly #inFlight = new Map<string, Set<number>>();
  readonly #abort = new AbortController();
  #stopping = false;
  #timers: ReturnType<typeof setInterval>[] = [];
  #polling = false;

  constructor(ctx: GatewayContext, options: BatchRunnerOptions) {
    this.#ctx = ctx;
    this.#options = options;
  }

  /** Listens for wake-ups, resumes unfinished batches, then polls and renews claims in the background. */
  async startBackground(): Promise<void> {
    await this.#options.wakeup?.listen((id) => this.start(id));
    const poll = setInterval(() => void this.resume(), this.#options.pollIntervalMs);
    const renew = setInterval(() => void this.#renew(), Math.max(1, this.#options.leaseMs / 3));
    poll.unref();
    renew.unref();
    this.#timers = [poll, renew];
    void this.resume();
  }

  /** A batch was just stored: run it here and wake the other instances. */
  submitted(id: string): void {
    this.start(id);
    this.#options.wakeup?.notify(id).catch((error: unknown) => {
      // Only a delay: the others find the batch at their next poll.
      this.#ctx.log.warn({ batch: id, err: error }, 'could not wake the other instances');
    });
  }

  start(id: string): void {
    if (this.#running.has(id) || this.#stopping) return;
    const run = this.#run(id)
      .catch((error: unknown) => this.#ctx.log.error({ batch: id, err: error }, 'batch run failed'))
      .finally(() => this.#running.delete(id));
    this.#running.set(id, run);
  }

  /** Starts every unfinished batch that is not running here (claims held elsewhere stay theirs until stale). */
  async resume(): Promise<void> {
    if (this.#polling || this.#stopping) return;
    this.#polling = true;
    try {
      for (const batch of await this.#ctx.store.batches.unfinished()) this.start(batch.id);
    } catch (error) {
      this.#ctx.log.error({ err: error }, 'could not look for unfinished batches');
    } finally {
      this.#polling = false;
    }
  }

  /** Claims nothing more; items already running may finish (their claims are still renewed). */
  stop(): void {
    this.#stopping = true;
    clearInterval(this.#timers[0]);
    this.#options.wakeup?.close();
  }

  /** Cancels running items (past the shutdown grace period); they stay claimed until their lease lapses. */
  abort(): void {
    this.stop();
    this.#abort.abort(new Error('server shutting down'));
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
    for (const timer of this.#timers) clearInterval(timer);
  }

  async #run(id: string): Promise<void> {
    const { concurrency, leaseMs } = this.#options;
    const active = new Set<Promise<void>>();
    try {
      while (!this.#stopping) {
        const free = concurrency - active.size;
        const items = free > 0 ? await this.#ctx.store.batches.claim(id, free, leaseMs) : [];
        for (const item of items) {
          const task: Promise<void> = this.#runItem(id, item).finally(() => active.delete(task));
          active.add(task);
        }
        // Nothing left to claim and nothing running: done here (other instances may hold the rest).
        if (active.size === 0) return;
        // Claim again as soon as a slot frees up.
        await Promise.race(active);
      }
    } finally {
      await Promise.allSettled(active);
    }
  }

  async #runItem(id: string, item: BatchItemRecord): Promise<void> {
    const { store, orchestrator } = this.#ctx;
    const held = this.#inFlight.get(id) ?? new Set<number>();
    this.#inFlight.set(id, held);
    held.add(item.index);
    const request = item.request as StoredBatchRequest;
    const user = request.user ?? 'anonymous';
    const requestId = newRequestId();
    try {
      let outcome: Parameters<typeof store.batches.complete>[2];
      try {
        const response = await orchestrator.process({
          ...request,
          requestId,
          signal: this.#abort.signal,
        });
        recordUsage(this.#ctx, requestId, user, { response });
        outcome = {
          status: 'succeeded',
          result: {
            requestId,
            model: response.modelUsed,
            content: response.content,
            toolCalls: response.toolCalls,
            finishReason: response.finishReason,
            usage: {
              inputTokens: response.usage.inputTokens ?? 0,
              outputTokens: response.usage.outputTokens ?? 0,
            },
            costUsd: response.costUsd,
            cached: response.cached,
          },
        };
      } catch (error) {
        // A shutdown leaves the item claimed; another instance takes it over once the lease lapses.
        if (this.#abort.signal.aborted) return;
        recordUsage(this.#ctx, requestId, user, { error });
        const api = toApiError(error);
        outcome = { status: 'failed', error: { requestId, code: api.code, message: api.message } };
      }
      await store.batches.complete(id, item.index, outcome);
    } catch (error) {
      // The outcome could not be stored: the claim lapses and another instance runs the item again.
      this.#ctx.log.error(
        { batch: id, index: item.index, err: error },
        'could not record a batch item',
      );
    } finally {
      held.delete(item.index);
      if (held.size === 0) this.#inFlight.delete(id);
    }
  }

  /** Keeps the claims of running items fresh, so no other instance takes them over. */
  async #renew(): Promise<void> {
    for (const [id, indices] of this.#inFlight) {
      try {
        await this.#ctx.store.batches.renew(id, [...indices]);
      } catch (error) {
        this.#ctx.log.warn({ batch: id, err: error }, 'could not renew batch claims');
      }
    }
  }
}
