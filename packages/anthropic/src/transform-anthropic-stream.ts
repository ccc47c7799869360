import {
  type ChatChunk,
  InvalidResponseError,
  type ModelPricing,
  NetworkError,
  type OrchestratorError,
  type Warning,
} from '@orchestrator/core';
import { AnthropicStreamState, MalformedEventError } from './anthropic-stream-state.js';
import type { JsonOutputTool } from './build-anthropic-request.js';
import type { CallDeadline } from './call-deadline.js';
import { anthropicCost } from './convert-anthropic-usage.js';
import { type ErrorContext, mapAnthropicError } from './map-anthropic-error.js';

export interface StreamContext {
  readonly model: string;
  readonly apiKey: string | undefined;
  readonly pricing: ModelPricing;
}

/** A started call: the SDK's pending stream, its deadline, and what the request mapping decided. */
export interface StreamStart {
  readonly events: PromiseLike<AsyncIterable<unknown>>;
  readonly deadline: CallDeadline;
  readonly json: JsonOutputTool | undefined;
  readonly warnings: readonly Warning[];
}

function failure(error: unknown, ctx: ErrorContext): OrchestratorError {
  if (error instanceof MalformedEventError) {
    return new InvalidResponseError(`anthropic (${ctx.model}): ${error.message}`, {
      provider: 'anthropic',
      model: ctx.model,
    });
  }
  return mapAnthropicError(error, ctx);
}

/**
 * Runs one streamed call and turns Anthropic's events into normalized chunks:
 * text and tool-call deltas, then one `finish` after `message_stop`, or one
 * `error` chunk after whatever text came before. An `event: error`
 * (overloaded) as the first event is therefore the only chunk, before any
 * text; a stream that ends without `message_stop` is an error, never a finish.
 * The event loop is this generator itself: each layer of async iteration
 * would cost per event.
 */
export async function* transformAnthropicStream(
  start: () => StreamStart,
  base: StreamContext,
): AsyncGenerator<ChatChunk> {
  let started: StreamStart;
  try {
    started = start();
  } catch (error) {
    yield { type: 'error', error: failure(error, { ...base, signal: undefined }) };
    return;
  }
  const ctx: ErrorContext = { ...base, signal: started.deadline.signal };
  const state = new AnthropicStreamState(started.json);
  try {
    try {
      for await (const event of await started.events) {
        const chunk = state.handle(event);
        if (chunk !== undefined) yield chunk;
      }
    } catch (error) {
      yield {
        type: 'error',
        error: failure(error, { ...ctx, responseStarted: state.id !== undefined }),
      };
      return;
    }
    if (!state.stopped) {
      // The SDK ends the iteration quietly when it is aborted; anything else is a cut stream.
      const signal = started.deadline.signal;
      const error = signal.aborted
        ? mapAnthropicError(signal.reason, ctx)
        : new NetworkError(`anthropic (${base.model}): the stream ended before message_stop`, {
            provider: 'anthropic',
            model: base.model,
            possiblyBilled: true,
          });
      yield { type: 'error', error };
      return;
    }
    const { finishReason, rawFinishReason, usage, raw } = state.outcome();
    yield {
      type: 'finish',
      finishReason,
      ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
      usage,
      costUsd: anthropicCost(base.pricing, usage, raw),
      warnings: started.warnings,
      ...(state.id === undefined ? {} : { id: state.id }),
      ...(state.model === undefined ? {} : { model: state.model }),
    };
  } finally {
    started.deadline.clear();
  }
}
