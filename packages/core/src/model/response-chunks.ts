import type { ChatChunk, ChatResponse } from '../types/chat.js';

/**
 * A whole response as stream chunks: its tool calls, its text, then the
 * finish. Used by the default `Model.stream` and to replay cached answers.
 */
export function* responseChunks(
  response: ChatResponse,
  costUsd = response.costUsd,
): Generator<ChatChunk> {
  for (const [index, call] of response.toolCalls.entries()) {
    yield {
      type: 'tool-call-delta',
      index,
      id: call.id,
      name: call.name,
      argumentsDelta: call.arguments,
    };
  }
  if (response.content) yield { type: 'text-delta', text: response.content };
  yield {
    type: 'finish',
    finishReason: response.finishReason,
    ...(response.rawFinishReason === undefined
      ? {}
      : { rawFinishReason: response.rawFinishReason }),
    usage: response.usage,
    costUsd,
    warnings: response.warnings,
    ...(response.id === undefined ? {} : { id: response.id }),
    model: response.model,
  };
}
