import {
  AbortedError,
  type ChatChunk,
  InvalidResponseError,
  type OrchestratorError,
  type Usage,
  type Warning,
} from '@orchestrator/core';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface StreamContext {
  readonly provider: string;
  readonly model: string;
  readonly warnings: readonly Warning[];
  readonly signal: AbortSignal | undefined;
  readonly mapError: (error: unknown) => OrchestratorError;
  readonly cost: (usage: Usage) => number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Maps `chat.completion.chunk`s to ChatChunks as they arrive: text deltas,
 * tool-call deltas (index, then id and name once, then argument pieces), and
 * one `finish` with usage once the stream has ended properly. A stream that
 * fails, is cut, or ends without a finish reason yields one `error` chunk
 * after whatever came before — never a made-up finish.
 */
export async function* mapOpenAIStream(
  chunks: AsyncIterable<unknown>,
  context: StreamContext,
): AsyncGenerator<ChatChunk, void, undefined> {
  let rawFinishReason: string | undefined;
  let usage: unknown;
  let id: string | undefined;
  let model: string | undefined;
  let refusal = '';
  let sawToolCalls = false;
  try {
    for await (const chunk of chunks) {
      if (!isObject(chunk))
        throw new InvalidResponseError(
          `${context.provider} (${context.model}): a stream chunk is not an object`,
          { provider: context.provider, model: context.model },
        );
      if (typeof chunk.id === 'string' && chunk.id !== '') id ??= chunk.id;
      if (typeof chunk.model === 'string' && chunk.model !== '') model ??= chunk.model;
      if (isObject(chunk.usage)) usage = chunk.usage;
      if (!Array.isArray(chunk.choices)) continue;
      for (const choice of chunk.choices) {
        if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
        const delta = isObject(choice.delta) ? choice.delta : {};
        if (typeof delta.content === 'string' && delta.content !== '')
          yield { type: 'text-delta', text: delta.content };
        if (typeof delta.refusal === 'string') refusal += delta.refusal;
        if (Array.isArray(delta.tool_calls)) {
          for (const [position, call] of delta.tool_calls.entries()) {
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
            sawToolCalls = true;
            yield {
              type: 'tool-call-delta',
              index: typeof call.index === 'number' ? call.index : position,
              ...(callId === undefined ? {} : { id: callId }),
              ...(name === undefined ? {} : { name }),
              argumentsDelta: args,
            };
          }
        }
        if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '')
          rawFinishReason = choice.finish_reason;
      }
    }
  } catch (error) {
    yield { type: 'error', error: context.mapError(error) };
    return;
  }
  // The SDK ends iteration quietly when the call is aborted; that is no finish.
  if (context.signal?.aborted) {
    yield { type: 'error', error: context.mapError(new AbortedError()) };
    return;
  }
  if (rawFinishReason === undefined) {
    yield {
      type: 'error',
      error: new InvalidResponseError(
        `${context.provider} (${context.model}): the stream ended without a finish reason`,
        {
          provider: context.provider,
          model: context.model,
        },
      ),
    };
    return;
  }
  const normalized = convertOpenAIUsage(usage);
  const warnings = [...context.warnings];
  let finishReason = mapOpenAIFinishReason(rawFinishReason, sawToolCalls);
  if (refusal !== '') {
    finishReason = 'content_filter';
    warnings.push({ type: 'other', message: `The model refused: ${refusal}` });
  }
  yield {
    type: 'finish',
    finishReason,
    rawFinishReason,
    usage: normalized,
    costUsd: context.cost(normalized),
    warnings,
    ...(id === undefined ? {} : { id }),
    ...(model === undefined ? {} : { model }),
  };
}
