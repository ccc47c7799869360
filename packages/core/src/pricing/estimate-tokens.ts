import type { ChatMessage, ChatRequest } from '../types/chat.js';

/**
 * A fast tokenizer-free estimate: about four characters per token for
 * English prose and code (the ratio OpenAI and Anthropic both document), and
 * one token per CJK character. It errs high, which is the safe side for
 * budget reservations.
 */
export function estimateTextTokens(text: string): number {
  if (text.length === 0) return 0;
  let wide = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x2e7f) wide++;
  }
  return Math.ceil((text.length - wide) / 4) + wide;
}

/** Per-message framing that chat formats add (role markers, separators). */
const MESSAGE_OVERHEAD = 4;
/** A flat allowance per image; providers bill 85–1,600 tokens depending on size and detail. */
const IMAGE_TOKENS = 1_000;

function messageTokens(message: ChatMessage): number {
  let n = MESSAGE_OVERHEAD;
  if (typeof message.content === 'string') n += estimateTextTokens(message.content);
  else if (Array.isArray(message.content)) {
    for (const part of message.content) {
      n += part.type === 'text' ? estimateTextTokens(part.text) : IMAGE_TOKENS;
    }
  }
  if (message.role === 'assistant' && message.toolCalls) {
    for (const call of message.toolCalls) {
      n += estimateTextTokens(call.name) + estimateTextTokens(call.arguments);
    }
  }
  return n;
}

/** Estimated input tokens of a whole request: system prompt, messages and tool schemas. */
export function estimateRequestTokens(request: ChatRequest): number {
  let n = request.system ? estimateTextTokens(request.system) + MESSAGE_OVERHEAD : 0;
  for (const message of request.messages) n += messageTokens(message);
  if (request.tools) {
    for (const tool of request.tools) {
      n += estimateTextTokens(tool.name) + estimateTextTokens(tool.description ?? '');
      n += estimateTextTokens(JSON.stringify(tool.parameters));
    }
  }
  return n;
}
