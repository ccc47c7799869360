import { InvalidResponseError, type OrchestratorError, TimeoutError } from '@orchestrator/core';
import type { Ollama } from 'ollama';
import {
  mapOllamaError,
  noteStreamMessage,
  type OllamaCallContext,
  PROVIDER,
} from './ollama-error.js';

/** Progress of a pull, summed over every layer seen so far. */
export interface OllamaPullProgress {
  /** Ollama's status line: `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`… */
  readonly status: string;
  readonly digest?: string;
  readonly completedBytes: number;
  /** Grows as layers appear: Ollama reports each layer's size when it starts on it. */
  readonly totalBytes: number;
}

export interface PullOllamaModelInput {
  readonly model: string;
  /** A client whose fetch carries `ctx` (a streamed call whose signal is `controller`'s). */
  readonly client: Ollama;
  readonly ctx: OllamaCallContext;
  readonly controller: AbortController;
  /** Give up when nothing arrives for this long, in ms. */
  readonly idleTimeoutMs: number;
  readonly insecure: boolean;
  readonly onProgress: (progress: OllamaPullProgress) => void;
}

/**
 * Pulls a model (`/api/pull`, streamed) to the end: `success`, or a typed
 * error that names the model and the server's reason. Ollama reports bytes
 * per layer; they are summed here. A pull that goes quiet for
 * `idleTimeoutMs` is cancelled (a stalled download, a hung server).
 */
export async function pullOllamaModel(input: PullOllamaModelInput): Promise<void> {
  const { ctx, controller, model } = input;
  const layers = new Map<string, { total: number; completed: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(new DOMException('pull stalled', 'TimeoutError')),
      input.idleTimeoutMs,
    );
    timer.unref?.();
  };
  try {
    arm();
    const iterator = await input.client.pull({
      model,
      stream: true,
      ...(input.insecure ? { insecure: true } : {}),
    });
    let success = false;
    for await (const raw of iterator) {
      arm();
      const line = raw as {
        status?: unknown;
        digest?: unknown;
        total?: unknown;
        completed?: unknown;
      } | null;
      noteStreamMessage(ctx, line?.status === 'success');
      if (typeof line?.status !== 'string') {
        throw new InvalidResponseError(
          `${PROVIDER} (${model}): a pull progress line has no status`,
          {
            provider: PROVIDER,
            model,
          },
        );
      }
      const digest =
        typeof line.digest === 'string' && line.digest !== '' ? line.digest : undefined;
      if (digest && typeof line.total === 'number') {
        layers.set(digest, {
          total: line.total,
          completed: typeof line.completed === 'number' ? line.completed : 0,
        });
      }
      let completedBytes = 0;
      let totalBytes = 0;
      for (const layer of layers.values()) {
        completedBytes += layer.completed;
        totalBytes += layer.total;
      }
      input.onProgress({
        status: line.status,
        ...(digest === undefined ? {} : { digest }),
        completedBytes,
        totalBytes,
      });
      if (line.status === 'success') success = true;
    }
    if (!success) throw new Error('Did not receive done or success response in stream.');
  } catch (error) {
    throw pullError(error, input);
  } finally {
    clearTimeout(timer);
  }
}

function pullError(error: unknown, input: PullOllamaModelInput): OrchestratorError {
  if (!input.controller.signal.aborted) return mapOllamaError(error, input.ctx);
  return new TimeoutError(
    `${PROVIDER} (${input.model}): pulling "${input.model}" stalled: nothing arrived for ${input.idleTimeoutMs} ms`,
    { provider: PROVIDER, model: input.model, possiblyBilled: false },
  );
}
