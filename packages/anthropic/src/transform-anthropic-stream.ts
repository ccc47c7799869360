import {
  type CallScope,
  type ChatChunk,
  InvalidResponseError,
  type ModelPricing,
  NetworkError,
  type OrchestratorError,
  type Warning,
} from '@orchestrator/core';
import { AnthropicStreamState, MalformedEventError } from './anthropic-stream-state.js';
import type { JsonOutputTool } from './build-anthropic-request.js';
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
  /** The call's deadline; one with `attach` is handed the SDK's stream once it exists. */
  readonly deadline: CallScope & { attach?(stream: unknown): void };
  readonly json: JsonOutputTool | undefined;
  readonly warnings: readonly Warning[];
}

type FinishChunk = Extract<ChatChunk, { type: 'finish' }>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * Runs one streamed call and turns Anthropic's events into normalized chunks:
 * text and tool-call deltas, then one `finish` after `message_stop`, or one
 * `error` chunk after whatever text came before. An `event: error`
 * (overloaded) as the first event is therefore the only chunk, before any
 * text; a stream that ends without `message_stop` is an error, never a finish.
 */
export function transformAnthropicStream(
  start: () => StreamStart,
  base: StreamContext,
): AsyncIterable<ChatChunk> {
  return { [Symbol.asyncIterator]: () => new AnthropicChunkIterator(start, base) };
}

/**
 * A hand-written iterator rather than an async generator: a generator adds a
 * resume and a queued promise per event on top of the SDK's own iteration,
 * which is most of an adapter's per-call cost on a streamed answer.
 */
class AnthropicChunkIterator implements AsyncIterator<ChatChunk> {
  private started: StreamStart | undefined;
  private events: AsyncIterator<unknown> | undefined;
  private state: AnthropicStreamState | undefined;
  private done = false;

  constructor(
    private readonly start: () => StreamStart,
    private readonly base: StreamContext,
  ) {}

  private context(): ErrorContext {
    return { ...this.base, signal: this.started?.deadline.signal };
  }

  next(): Promise<IteratorResult<ChatChunk>> {
    if (this.done) return Promise.resolve(DONE);
    if (this.events === undefined) return this.first();
    return this.events.next().then(this.onEvent, this.onError);
  }

  private async first(): Promise<IteratorResult<ChatChunk>> {
    try {
      this.started = this.start();
      this.state = new AnthropicStreamState(this.started.json);
      const stream = await this.started.events;
      this.started.deadline.attach?.(stream);
      this.events = stream[Symbol.asyncIterator]();
    } catch (error) {
      if (this.done) return DONE;
      return this.fail(this.classify(error));
    }
    if (this.done) {
      // return() was called while the request was starting: end the response now.
      await this.events.return?.();
      return DONE;
    }
    return this.next();
  }

  // Arrow properties, bound once: a `.then` per event is cheaper than an async function's await.
  private readonly onEvent = (
    result: IteratorResult<unknown>,
  ): IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>> => {
    const state = this.state!;
    if (result.done) return this.finish(state);
    let chunk: ChatChunk | undefined;
    try {
      chunk = state.handle(result.value);
    } catch (error) {
      return this.fail(this.classify(error));
    }
    // Events with nothing to show (ping, block starts and stops) read on.
    return chunk === undefined ? this.next() : { value: chunk, done: false };
  };

  private readonly onError = (error: unknown): IteratorResult<ChatChunk> =>
    this.fail(this.classify(error));

  async return(): Promise<IteratorResult<ChatChunk>> {
    if (!this.done) {
      this.close();
      // Ending the SDK's iteration aborts the upstream request.
      await this.events?.return?.();
    }
    return DONE;
  }

  private classify(error: unknown): OrchestratorError {
    if (error instanceof MalformedEventError) {
      return new InvalidResponseError(`anthropic (${this.base.model}): ${error.message}`, {
        provider: 'anthropic',
        model: this.base.model,
      });
    }
    return mapAnthropicError(error, {
      ...this.context(),
      responseStarted: this.state?.id !== undefined,
    });
  }

  private close(): void {
    this.done = true;
    this.started?.deadline.dispose();
  }

  private fail(error: OrchestratorError): IteratorResult<ChatChunk> {
    this.close();
    // A protocol error leaves the SDK's iteration open: end it, which aborts the request.
    this.events?.return?.().catch(() => undefined);
    return { value: { type: 'error', error }, done: false };
  }

  private finish(state: AnthropicStreamState): IteratorResult<ChatChunk> {
    const started = this.started!;
    if (!state.stopped) {
      // The SDK ends the iteration quietly when it is aborted; anything else is a cut stream.
      const signal = started.deadline.signal;
      return this.fail(
        signal.aborted
          ? mapAnthropicError(signal.reason, this.context())
          : new NetworkError(
              `anthropic (${this.base.model}): the stream ended before message_stop`,
              {
                provider: 'anthropic',
                model: this.base.model,
                possiblyBilled: true,
              },
            ),
      );
    }
    this.close();
    const { finishReason, rawFinishReason, usage, raw } = state.outcome();
    const finish: { -readonly [K in keyof FinishChunk]: FinishChunk[K] } = {
      type: 'finish',
      finishReason,
      usage,
      costUsd: anthropicCost(this.base.pricing, usage, raw),
      warnings: started.warnings,
    };
    if (rawFinishReason !== undefined) finish.rawFinishReason = rawFinishReason;
    if (state.id !== undefined) finish.id = state.id;
    if (state.model !== undefined) finish.model = state.model;
    return {
      value: finish,
      done: false,
    };
  }
}
