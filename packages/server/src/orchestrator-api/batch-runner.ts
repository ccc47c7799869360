import type { OrchestratorRequest } from '@orchestrator/core';
import type { GatewayContext } from '../gateway-context.js';
import { newRequestId, recordUsage } from '../gateway-context.js';
import { toApiError } from '../http/api-error.js';

/** What a batch item stores: the normalized request and its options, never a signal. */
export type StoredBatchRequest = Omit<OrchestratorRequest, 'signal' | 'requestId'>;

const CLAIM = 4;
const STALE_MS = 5 * 60_000;

/**
 * Runs batches in the background through the store's claim/complete, so
 * items survive a restart and none runs twice: `resume()` picks up what a
 * stopped instance left (stale claims included).
 */
export class BatchRunner {
  readonly #ctx: GatewayContext;
  readonly #running = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #stopping = false;

  constructor(ctx: GatewayContext) {
    this.#ctx = ctx;
  }

  start(id: string): void {
    if (this.#running.has(id) || this.#stopping) return;
    const run = this.#run(id)
      .catch((error: unknown) => this.#ctx.log.error({ batch: id, err: error }, 'batch run failed'))
      .finally(() => this.#running.delete(id));
    this.#running.set(id, run);
  }

  async resume(): Promise<void> {
    try {
      for (const batch of await this.#ctx.store.batches.unfinished()) this.start(batch.id);
    } catch (error) {
      this.#ctx.log.error({ err: error }, 'could not resume batches');
    }
  }

  /** Claims nothing more; items already running may finish. */
  stop(): void {
    this.#stopping = true;
  }

  /** Cancels running items (past the shutdown grace period); they stay claimed for another instance. */
  abort(): void {
    this.#stopping = true;
    this.#abort.abort(new Error('server shutting down'));
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  async #run(id: string): Promise<void> {
    const { store, orchestrator } = this.#ctx;
    while (!this.#stopping) {
      const items = await store.batches.claim(id, CLAIM, STALE_MS);
      if (items.length === 0) return;
      await Promise.all(
        items.map(async (item) => {
          const request = item.request as StoredBatchRequest;
          const requestId = newRequestId();
          try {
            const response = await orchestrator.process({
              ...request,
              requestId,
              signal: this.#abort.signal,
            });
            recordUsage(this.#ctx, requestId, request.user ?? 'anonymous', { response });
            await store.batches.complete(id, item.index, {
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
            });
          } catch (error) {
            // A shutdown leaves the item claimed; the next instance takes it over once the claim is stale.
            if (this.#abort.signal.aborted) return;
            recordUsage(this.#ctx, requestId, request.user ?? 'anonymous', { error });
            const api = toApiError(error);
            await store.batches.complete(id, item.index, {
              status: 'failed',
              error: { code: api.code, message: api.message },
            });
          }
        }),
      );
    }
  }
}
