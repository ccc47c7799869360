import type { ChatChunk, OrchestratorRequest } from '@orchestrator/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type GatewayContext, recordStreamUsage } from '../gateway-context.js';
import { errorBody, toApiError } from '../http/api-error.js';
import { startStream } from '../http/engine-stream.js';
import { SseWriter, sseData, startSse } from '../http/sse.js';
import { OpenAIChunkWriter } from './to-openai-response.js';

/** `POST /v1/chat/completions` with `stream: true`: the engine's chunks as OpenAI SSE frames. */
export async function streamChat(
  ctx: GatewayContext,
  request: FastifyRequest,
  reply: FastifyReply,
  engineRequest: OrchestratorRequest,
  id: string,
  created: number,
  includeUsage: boolean,
): Promise<void> {
  const stream = ctx.orchestrator.stream(engineRequest);
  recordStreamUsage(ctx, request.id, request.identity.user, stream);
  // Before the first chunk nothing is sent: an error here becomes a real HTTP error.
  const started = await startStream(stream);
  const sse = new SseWriter(
    startSse(reply, {
      'x-orchestrator-model': started.model,
      'x-orchestrator-cached': String(started.decision === undefined),
    }),
  );
  const writer = new OpenAIChunkWriter(id, created, started.model);
  const signal = request.abort.signal;
  let finished = false;
  // A plain loop over the engine's iterator rather than `for await` over
  // chunksOf(): one promise per chunk instead of several (every token of every
  // stream passes here). Same contract as chunksOf: stop when the client has
  // gone (the signal), always return() the iterator so the engine settles.
  let chunk: ChatChunk | undefined = started.first;
  try {
    while (chunk !== undefined) {
      let wrote: boolean | Promise<boolean>;
      if (chunk.type === 'error') {
        // After the first token a failure is an error event: no fake finish, no [DONE].
        // No break: the engine finishes its accounting (partial usage) when iteration completes.
        wrote = sse.send(sseData(errorBody('openai', toApiError(chunk.error), request.id)));
      } else if (chunk.type === 'finish') {
        finished = true;
        wrote = sse.send(`${writer.frames(chunk, includeUsage)}data: [DONE]\n\n`);
      } else {
        const frames = writer.frames(chunk, includeUsage);
        wrote = frames === '' ? true : sse.send(frames);
      }
      if (wrote !== true && wrote !== false) await wrote;
      if (signal.aborted) break;
      const step: IteratorResult<ChatChunk> = await started.rest.next();
      chunk = step.done ? undefined : step.value;
    }
  } finally {
    // Ending iteration early makes the engine abort the upstream call and free its slots.
    await started.rest.return?.();
  }
  if (!finished) ctx.log.warn({ requestId: request.id }, 'stream ended without a finish');
  sse.end();
}
