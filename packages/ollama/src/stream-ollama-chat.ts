import {
  type ChatChunk,
  calculateCost,
  InvalidResponseError,
  type ModelPricing,
} from '@orchestrator/core';
import type { AbortableAsyncIterator, Ollama, ChatResponse as OllamaChatResponse } from 'ollama';
import type { MappedChatRequest } from './map-ollama-request.js';
import {
  convertOllamaUsage,
  mapOllamaFinishReason,
  mapOllamaToolCall,
  readOllamaChatPart,
} from './map-ollama-response.js';
import { mapOllamaError, type OllamaCallContext, PROVIDER } from './ollama-error.js';

export interface StreamOllamaChatInput {
  readonly ctx: OllamaCallContext;
  readonly prepare: () => MappedChatRequest;
  readonly client: () => Ollama;
  readonly pricing: ModelPricing;
}

/**
 * Streams `/api/chat` as `ChatChunk`s: text deltas, one tool-call delta per
 * call (Ollama sends each call whole), then exactly one `finish` — or one
 * `error` chunk, after whatever text came before it. Stopping early (the
 * caller breaks out) cancels this request's upstream connection.
 */
export async function* streamOllamaChat(input: StreamOllamaChatInput): AsyncGenerator<ChatChunk> {
  const { ctx } = input;
  let iterator: AbortableAsyncIterator<OllamaChatResponse> | undefined;
  let finished = false;
  try {
    ctx.signal?.throwIfAborted();
    const { body, warnings } = input.prepare();
    iterator = await input.client().chat({ ...body, stream: true });
    let toolIndex = 0;
    let sawToolCalls = false;
    for await (const raw of iterator) {
      const part = readOllamaChatPart(raw);
      if (!part) {
        throw new InvalidResponseError(
          `ollama (${ctx.model}): a stream message is not an Ollama chat message`,
          {
            provider: PROVIDER,
            model: ctx.model,
          },
        );
      }
      if (part.content) yield { type: 'text-delta', text: part.content };
      for (const call of part.toolCalls) {
        const mapped = mapOllamaToolCall(call, toolIndex);
        sawToolCalls = true;
        yield {
          type: 'tool-call-delta',
          index: toolIndex++,
          id: mapped.id,
          name: mapped.name,
          argumentsDelta: mapped.arguments,
        };
      }
      if (part.done) {
        finished = true;
        const usage = convertOllamaUsage(part.fields);
        const rawFinishReason =
          typeof part.fields.done_reason === 'string' ? part.fields.done_reason : undefined;
        yield {
          type: 'finish',
          finishReason: mapOllamaFinishReason(rawFinishReason, sawToolCalls),
          ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
          usage,
          costUsd: calculateCost(input.pricing, usage),
          warnings,
          model: part.model ?? ctx.model,
        };
        return;
      }
    }
    throw new InvalidResponseError(
      `ollama (${ctx.model}): the stream ended before its final message`,
      {
        provider: PROVIDER,
        model: ctx.model,
      },
    );
  } catch (error) {
    yield { type: 'error', error: mapOllamaError(error, ctx) };
  } finally {
    // This request only: the SDK's client-wide abort() would cut every stream of the client.
    if (!finished) iterator?.abort();
  }
}
