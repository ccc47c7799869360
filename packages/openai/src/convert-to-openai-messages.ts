import type { ChatMessage, ContentPart, Warning } from '@orchestrator/core';
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

export interface MessageConversion {
  /** `developer` for OpenAI reasoning models, `system` otherwise. */
  readonly systemRole: 'system' | 'developer';
  /** Drop image parts (the model cannot see) with a warning. */
  readonly dropImages: boolean;
  /** Extra system text to put first (the request's `system`, a JSON hint). */
  readonly system: readonly string[];
}

/**
 * Converts normalized messages to Chat Completions messages: the request's
 * system prompt first, then every message in order (system messages stay
 * where they are), images as `image_url` parts (URLs or data URLs), assistant
 * tool calls, and tool results by `tool_call_id`.
 */
export function convertToOpenAIMessages(
  messages: readonly ChatMessage[],
  conversion: MessageConversion,
  warnings: Warning[],
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (const text of conversion.system) out.push({ role: conversion.systemRole, content: text });
  let droppedImages = false;
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: conversion.systemRole, content: message.content });
        break;
      case 'user': {
        if (typeof message.content === 'string') {
          out.push(
            message.name
              ? { role: 'user', content: message.content, name: message.name }
              : { role: 'user', content: message.content },
          );
          break;
        }
        const parts: ChatCompletionContentPart[] = [];
        for (const part of message.content) {
          if (part.type === 'image' && conversion.dropImages) {
            droppedImages = true;
            continue;
          }
          parts.push(convertPart(part));
        }
        out.push({ role: 'user', content: parts, ...(message.name ? { name: message.name } : {}) });
        break;
      }
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        out.push({
          role: 'assistant',
          content: message.content,
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        });
        break;
      }
      case 'tool':
        out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
        break;
    }
  }
  if (droppedImages) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'images',
      details: 'this model does not accept images; they were left out',
    });
  }
  return out;
}

function convertPart(part: ContentPart): ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const url = part.url ?? `data:${part.mediaType ?? 'image/png'};base64,${part.data ?? ''}`;
  return { type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } };
}
