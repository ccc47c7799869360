import type { GenerateContentResponse } from '@google/genai';
import {
  type ChatChunk,
  ContentPolicyError,
  calculateCost,
  InvalidResponseError,
  type ModelPricing,
  type Warning,
} from '@orchestrator/core';
import {
  convertGoogleUsage,
  type GeminiUsageLike,
  type MappedToolCall,
  mapGoogleFinishReason,
  readParts,
} from './map-gemini-response.js';

export interface StreamContext {
  readonly model: string;
  readonly pricing: ModelPricing;
  readonly warnings: readonly Warning[];
  readonly remember: (calls: readonly MappedToolCall[]) => void;
}

/**
 * Turns Gemini stream chunks into ChatChunks. Gemini sends whole function
 * calls (one delta each), usage with running totals on every chunk (the
 * last one wins), and the finish reason on the final candidate chunk. A
 * stream that ends without a finish reason did not complete: it ends with
 * an error, never a made-up finish.
 */
export class GeminiStreamState {
  private callIndex = 0;
  private rawFinish: string | undefined;
  private usage: GeminiUsageLike | undefined;
  private responseId: string | undefined;
  private modelVersion: string | undefined;

  constructor(private readonly ctx: StreamContext) {}

  /** The chunks one Gemini chunk yields; an `error` chunk means the stream is over. */
  push(chunk: GenerateContentResponse): ChatChunk[] {
    if (typeof chunk !== 'object' || chunk === null)
      throw new Error('a stream chunk is not an object');
    this.responseId ??= str(chunk.responseId);
    this.modelVersion ??= str(chunk.modelVersion);
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    const blocked = str(chunk.promptFeedback?.blockReason);
    if (blocked) {
      return [
        {
          type: 'error',
          error: blockedPromptError(
            this.ctx.model,
            blocked,
            str(chunk.promptFeedback?.blockReasonMessage),
          ),
        },
      ];
    }
    const candidate = Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined;
    if (!candidate) return [];
    const out: ChatChunk[] = [];
    const { text, calls } = readParts(candidate.content?.parts, this.responseId, this.callIndex);
    if (text) out.push({ type: 'text-delta', text });
    if (calls.length > 0) {
      this.ctx.remember(calls);
      for (const { call } of calls) {
        out.push({
          type: 'tool-call-delta',
          index: this.callIndex++,
          id: call.id,
          name: call.name,
          argumentsDelta: call.arguments,
        });
      }
    }
    const finish = str(candidate.finishReason);
    if (finish) this.rawFinish = finish;
    return out;
  }

  /** The closing chunk: `finish` when Gemini said it finished, else an error. */
  end(): ChatChunk {
    if (this.rawFinish === undefined) {
      return {
        type: 'error',
        error: new InvalidResponseError(
          `google (${this.ctx.model}): the stream ended before a finish reason.`,
          {
            provider: 'google',
            model: this.ctx.model,
          },
        ),
      };
    }
    const usage = convertGoogleUsage(this.usage);
    return {
      type: 'finish',
      finishReason: mapGoogleFinishReason(this.rawFinish, this.callIndex > 0),
      rawFinishReason: this.rawFinish,
      usage,
      costUsd: calculateCost(this.ctx.pricing, usage),
      warnings: this.ctx.warnings,
      ...(this.responseId === undefined ? {} : { id: this.responseId }),
      model: this.modelVersion ?? this.ctx.model,
    };
  }
}

/** A prompt Gemini refused to answer (`promptFeedback.blockReason`). */
export function blockedPromptError(
  model: string,
  reason: string,
  detail?: string,
): ContentPolicyError {
  return new ContentPolicyError(
    `google (${model}): the prompt was blocked (${reason})${detail ? `: ${detail}` : '.'}`,
    { provider: 'google', model, providerCode: reason },
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
