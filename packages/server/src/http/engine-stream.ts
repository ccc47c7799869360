import type { ChatChunk, OrchestratorStream, RoutingDecision } from '@orchestrator/core';

export interface StartedStream {
  readonly first: ChatChunk;
  readonly rest: AsyncIterator<ChatChunk>;
  /** The routing decision; undefined for a cache hit. */
  readonly decision: RoutingDecision | undefined;
  /** The model that answers: the decision's, or for a cache hit the one that made the cached answer. */
  readonly model: string;
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
  const decision = await stream.decision;
  // A cache hit has no decision; the engine settles its response before the
  // first chunk, and that response names the model the answer came from.
  const model = decision?.model ?? (await stream.response).modelUsed;
  return { first: step.value, rest, decision, model };
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
