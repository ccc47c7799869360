import { type ChatChunk, InvalidResponseError, type Usage, type Warning } from '@orchestrator/core';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface StreamContext {
  readonly provider: string;
  readonly model: string;
  readonly warnings: readonly Warning[];
  readonly cost: (usage: Usage) => number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Maps `chat.completion.chunk`s to ChatChunks as they arrive: text deltas,
 * tool-call deltas (index, then id and name once, then argument pieces), and,
 * at the end, one `finish` with usage — or an `error` when the stream ended
 * without a finish reason, never a made-up finish. Synchronous per chunk, so
 * the streaming loop stays a single async generator.
 */
export class OpenAIStreamMapper {
  private rawFinishReason: string | undefined;
  private usage: unknown;
  private id: string | undefined;
  private model: string | undefined;
  private refusal = '';
  private sawToolCalls = false;

  constructor(private readonly context: StreamContext) {}

  /** Appends the ChatChunks one upstream chunk yields to `out`; throws on a chunk that is not an object. */
  push(chunk: unknown, out: ChatChunk[]): void {
    if (!isObject(chunk)) {
      throw new InvalidResponseError(
        `${this.context.provider} (${this.context.model}): a stream chunk is not an object`,
        { provider: this.context.provider, model: this.context.model },
      );
    }
    if (this.id === undefined && typeof chunk.id === 'string' && chunk.id !== '')
      this.id = chunk.id;
    if (this.model === undefined && typeof chunk.model === 'string' && chunk.model !== '') {
      this.model = chunk.model;
    }
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (const choice of choices) {
      if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      const delta = isObject(choice.delta) ? choice.delta : undefined;
      if (delta) {
        if (typeof delta.content === 'string' && delta.content !== '') {
          out.push({ type: 'text-delta', text: delta.content });
        }
        if (typeof delta.refusal === 'string') this.refusal += delta.refusal;
        if (Array.isArray(delta.tool_calls)) this.pushToolCalls(delta.tool_calls, out);
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
        this.rawFinishReason = choice.finish_reason;
      }
    }
  }

  /** The last chunk of a stream that ended cleanly: `finish`, or `error` without a finish reason. */
  end(): ChatChunk {
    const { provider, model } = this.context;
    if (this.rawFinishReason === undefined) {
      return {
        type: 'error',
        error: new InvalidResponseError(
          `${provider} (${model}): the stream ended without a finish reason`,
          {
            provider,
            model,
          },
        ),
      };
    }
    const usage = convertOpenAIUsage(this.usage);
    const warnings = [...this.context.warnings];
    let finishReason = mapOpenAIFinishReason(this.rawFinishReason, this.sawToolCalls);
    if (this.refusal !== '') {
      finishReason = 'content_filter';
      warnings.push({ type: 'other', message: `The model refused: ${this.refusal}` });
    }
    return {
      type: 'finish',
      finishReason,
      rawFinishReason: this.rawFinishReason,
      usage,
      costUsd: this.context.cost(usage),
      warnings,
      ...(this.id === undefined ? {} : { id: this.id }),
      ...(this.model === undefined ? {} : { model: this.model }),
    };
  }

  private pushToolCalls(calls: readonly unknown[], out: ChatChunk[]): void {
    for (let position = 0; position < calls.length; position++) {
      const call = calls[position];
      if (!isObject(call)) continue;
      const fn = isObject(call.function) ? call.function : {};
      const args =
        typeof fn.arguments === 'string'
          ? fn.arguments
          : fn.arguments === undefined
            ? ''
            : JSON.stringify(fn.arguments);
      const callId = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
      const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : undefined;
      if (callId === undefined && name === undefined && args === '') continue;
      this.sawToolCalls = true;
      out.push({
        type: 'tool-call-delta',
        index: typeof call.index === 'number' ? call.index : position,
        ...(callId === undefined ? {} : { id: callId }),
        ...(name === undefined ? {} : { name }),
        argumentsDelta: args,
      });
    }
  }
}
