import {
  type ChatChunk,
  calculateCost,
  InvalidResponseError,
  type ModelPricing,
  type Warning,
} from '@orchestrator/core';
import type { AbortableAsyncIterator, Ollama, ChatResponse as OllamaChatResponse } from 'ollama';
import type { MappedChatRequest } from './map-ollama-request.js';
import {
  convertOllamaUsage,
  mapOllamaFinishReason,
  mapOllamaToolCall,
  readOllamaChatPart,
} from './map-ollama-response.js';
import {
  mapOllamaError,
  noteStreamMessage,
  type OllamaCallContext,
  PROVIDER,
} from './ollama-error.js';

export interface StreamOllamaChatInput {
  readonly ctx: OllamaCallContext;
  readonly pricing: ModelPricing;
  /** The mapped request and the client to send it with… */
  readonly mapped?: MappedChatRequest;
  readonly client?: Ollama;
  /** …or why the request could not be mapped. */
  readonly failure?: unknown;
  /** Clears the call's timer and its listener on the caller's signal, once the stream has ended. */
  readonly dispose?: () => void;
}

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * `/api/chat` streamed as `ChatChunk`s: text deltas, one tool-call delta per
 * call (Ollama sends each call whole), then exactly one `finish` — or one
 * `error` chunk, after whatever text came before it. Stopping early (the
 * caller breaks out) cancels this request's upstream connection, and only
 * this one's (the SDK's client-wide `abort()` would cut every stream).
 *
 * A plain iterator rather than an async generator: a generator's queue and
 * resumption cost a few microseconds per chunk, on top of the SDK's own.
 * Like a generator's, `next()` is meant to be awaited before the next call.
 */
export class OllamaChatStream implements AsyncIterableIterator<ChatChunk> {
  private iterator: AbortableAsyncIterator<OllamaChatResponse> | undefined;
  private parts: AsyncIterator<OllamaChatResponse> | undefined;
  private readonly queue: ChatChunk[] = [];
  private closed = false;
  /** The final message arrived: the SDK closed the request itself. */
  private completed = false;
  private toolIndex = 0;
  private warnings: readonly Warning[] = [];

  constructor(private readonly input: StreamOllamaChatInput) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ChatChunk>> {
    // Once the caller aborted (or the call timed out), nothing more goes out, buffered text included.
    if (!this.closed && this.input.ctx.signal?.aborted)
      return this.fail(this.input.ctx.signal.reason);
    for (;;) {
      const queued = this.queue.shift();
      if (queued) return { done: false, value: queued };
      if (this.closed) return END;
      try {
        const parts = this.parts ?? (await this.open());
        const result = await parts.next();
        if (result.done) {
          throw new InvalidResponseError(
            `ollama (${this.input.ctx.model}): the stream ended before its final message`,
            {
              provider: PROVIDER,
              model: this.input.ctx.model,
            },
          );
        }
        this.accept(result.value);
      } catch (error) {
        return this.fail(error);
      }
    }
  }

  private fail(error: unknown): IteratorResult<ChatChunk> {
    this.queue.length = 0;
    this.close();
    return { done: false, value: { type: 'error', error: mapOllamaError(error, this.input.ctx) } };
  }

  async return(): Promise<IteratorResult<ChatChunk>> {
    this.queue.length = 0;
    this.close();
    return END;
  }

  private async open(): Promise<AsyncIterator<OllamaChatResponse>> {
    const { ctx, mapped, client } = this.input;
    ctx.signal?.throwIfAborted();
    if (!mapped || !client) throw this.input.failure;
    this.warnings = mapped.warnings;
    this.iterator = await client.chat({ ...mapped.body, stream: true });
    this.parts = this.iterator[Symbol.asyncIterator]();
    return this.parts;
  }

  private accept(raw: unknown): void {
    const { ctx } = this.input;
    const part = readOllamaChatPart(raw);
    noteStreamMessage(ctx, part?.done === true);
    if (!part) {
      throw new InvalidResponseError(
        `ollama (${ctx.model}): a stream message is not an Ollama chat message`,
        {
          provider: PROVIDER,
          model: ctx.model,
        },
      );
    }
    if (part.content) this.queue.push({ type: 'text-delta', text: part.content });
    for (const call of part.toolCalls) {
      const mapped = mapOllamaToolCall(call, this.toolIndex);
      this.queue.push({
        type: 'tool-call-delta',
        index: this.toolIndex++,
        id: mapped.id,
        name: mapped.name,
        argumentsDelta: mapped.arguments,
      });
    }
    if (!part.done) return;
    this.completed = true;
    this.closed = true;
    this.input.dispose?.();
    const usage = convertOllamaUsage(part.fields);
    const rawFinishReason =
      typeof part.fields.done_reason === 'string' ? part.fields.done_reason : undefined;
    this.queue.push({
      type: 'finish',
      finishReason: mapOllamaFinishReason(rawFinishReason, this.toolIndex > 0),
      ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
      usage,
      costUsd: calculateCost(this.input.pricing, usage),
      warnings: this.warnings,
      model: part.model ?? ctx.model,
    });
  }

  private close(): void {
    this.closed = true;
    if (!this.completed) this.iterator?.abort();
    this.input.dispose?.();
  }
}
