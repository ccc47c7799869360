import type { ChatChunk, OrchestratorStream } from '@orchestrator/core';

export interface StartedStream {
  readonly first: ChatChunk;
  readonly rest: AsyncIterator<ChatChunk>;
}

/**
 * Waits for the engine's first chunk. The engine falls back between models
 * before its first token, so an error here means no model could answer:
 * it is thrown, for the route to answer with a proper HTTP error instead of
 * a 200 stream.
 */
export async function startStream(stream: OrchestratorStream): Promise<StartedStream> {
  const rest = stream[Symbol.asyncIterator]();
  const step = await rest.next();
  if (step.done) throw new Error('The engine ended a stream without any chunk.');
  if (step.value.type === 'error') {
    await rest.return?.();
    throw step.value.error;
  }
  return { first: step.value, rest };
}

/** Iterates a started stream from its first chunk; stops (aborting upstream) when `signal` fires. */
export async function* chunksOf(
  started: StartedStream,
  signal: AbortSignal,
): AsyncGenerator<ChatChunk> {
  try {
    yield started.first;
    while (!signal.aborted) {
      const step = await started.rest.next();
      if (step.done) return;
      // No early return after `finish`: the engine settles `response` only when its
      // generator runs to completion, so iteration continues until it reports done.
      yield step.value;
    }
  } finally {
    // Ending iteration early makes the engine abort the upstream call and free its slots.
    await started.rest.return?.();
  }
}
