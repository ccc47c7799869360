import { OrchestratorError } from '../errors/orchestrator-error.js';
import type { BatchPriority, BatchScheduler } from './batch-scheduler.js';
import type { Orchestrator } from './orchestrator.js';
import type { OrchestratorRequest, OrchestratorResponse } from './orchestrator-types.js';

export interface BatchOptions {
  /** Requests of this batch in flight at once. Default 4. */
  readonly concurrency?: number;
  readonly priority?: BatchPriority;
  /** Called as each item settles, for progress reporting. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Upper bound on the number of requests. Default 10,000. */
  readonly maxItems?: number;
}

export type BatchResult =
  | {
      readonly index: number;
      readonly status: 'fulfilled';
      readonly response: OrchestratorResponse;
    }
  | {
      readonly index: number;
      readonly status: 'rejected';
      readonly error: { readonly code: string; readonly message: string };
    };

/** One settled result per request, in request order; failures do not stop the batch. */
export function processBatch(
  engine: Orchestrator,
  scheduler: BatchScheduler,
  requests: readonly OrchestratorRequest[],
  options: BatchOptions = {},
): Promise<BatchResult[]> {
  if (!Array.isArray(requests)) throw new TypeError('processBatch() takes an array of requests');
  const max = options.maxItems ?? 10_000;
  if (requests.length > max) {
    throw new RangeError(`A batch holds at most ${max} requests; got ${requests.length}.`);
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const priority = options.priority ?? 'normal';
  const results = new Array<BatchResult>(requests.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve) => {
    if (requests.length === 0) return resolve([]);
    // Each lane takes the next request when its last one settles: at most `concurrency` in flight.
    const lane = (): void => {
      const index = next++;
      if (index >= requests.length) return;
      scheduler.schedule(priority, async () => {
        try {
          results[index] = {
            index,
            status: 'fulfilled',
            response: await engine.process(requests[index]!),
          };
        } catch (error) {
          results[index] = {
            index,
            status: 'rejected',
            error: OrchestratorError.isInstance(error)
              ? { code: error.code, message: error.message }
              : {
                  code: 'unknown_error',
                  message: error instanceof Error ? error.message : String(error),
                },
          };
        }
        done++;
        options.onProgress?.(done, requests.length);
        if (done === requests.length) resolve(results);
        else lane();
      });
    };
    for (let i = 0; i < Math.min(concurrency, requests.length); i++) lane();
  });
}
