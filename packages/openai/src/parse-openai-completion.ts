import type { FinishReason, ToolCall, Usage, Warning } from '@orchestrator/core';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface ParsedCompletion {
  readonly id: string | undefined;
  readonly model: string | undefined;
  readonly content: string;
  readonly toolCalls: ToolCall[];
  readonly finishReason: FinishReason;
  readonly rawFinishReason: string | undefined;
  readonly usage: Usage;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a `chat.completion` body, checking its shape (provider output is
 * untrusted). Returns undefined when it is not a completion at all. A refusal
 * becomes finish reason `content_filter` with a warning carrying its text.
 */
export function parseOpenAICompletion(
  body: unknown,
  warnings: Warning[],
): ParsedCompletion | undefined {
  if (!isObject(body) || !Array.isArray(body.choices)) return undefined;
  const choice =
    body.choices.find((c) => isObject(c) && (c.index === 0 || c.index === undefined)) ??
    body.choices[0];
  if (!isObject(choice) || !isObject(choice.message)) return undefined;
  const message = choice.message;
  if (
    message.content !== null &&
    message.content !== undefined &&
    typeof message.content !== 'string'
  )
    return undefined;

  const toolCalls: ToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const [index, call] of message.tool_calls.entries()) {
      if (!isObject(call) || !isObject(call.function) || typeof call.function.name !== 'string')
        return undefined;
      if (call.type !== undefined && call.type !== 'function') continue;
      const args = call.function.arguments;
      toolCalls.push({
        id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${index}`,
        name: call.function.name,
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    }
  }
  const rawFinishReason =
    typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined;
  const content = typeof message.content === 'string' ? message.content : '';
  let finishReason = mapOpenAIFinishReason(rawFinishReason, toolCalls.length > 0);
  if (typeof message.refusal === 'string' && message.refusal !== '' && content === '') {
    finishReason = 'content_filter';
    warnings.push({ type: 'other', message: `The model refused: ${message.refusal}` });
  }
  return {
    id: typeof body.id === 'string' ? body.id : undefined,
    model: typeof body.model === 'string' ? body.model : undefined,
    content,
    toolCalls,
    finishReason,
    rawFinishReason,
    usage: convertOpenAIUsage(body.usage),
  };
}
