import type { ModelCapabilities, ModelPricing } from '../types/capabilities.js';
import type { ChatMessage, ChatRequest } from '../types/chat.js';
import { countTokens } from './count-tokens.js';

export interface RequestTokenOptions {
  /**
   * Flat allowance per image. Providers bill 85 (OpenAI low detail) to
   * ~1,600 (Anthropic, a 1.15-megapixel image) tokens; the default takes the
   * top of that range because this count feeds worst-case reservations.
   */
  readonly imageTokens?: number;
}

export const DEFAULT_IMAGE_TOKENS = 1_600;
/**
 * Chat framing per message: OpenAI documents 3 tokens (role and
 * separators) for its chat format, other providers use similar markers;
 * one more covers a `name`.
 */
const PER_MESSAGE = 4;
/** Every reply is primed with an assistant header (3 tokens in OpenAI's format). */
const REPLY_PRIMING = 3;
/** Per tool: the wrapper providers render a function definition in. */
const PER_TOOL = 10;
/** Per tool call in history: id, name and argument framing. */
const PER_TOOL_CALL = 6;

/**
 * Input tokens of a whole request: system prompt, every message (text,
 * images as a flat allowance, tool calls and results), tool definitions
 * (name, description and JSON schema) and the response format's schema.
 * Exact text counts where a real tokenizer is loaded, plus documented
 * framing constants; an estimate otherwise.
 */
export function countRequestTokens(
  request: ChatRequest,
  modelId: string,
  options: RequestTokenOptions = {},
): number {
  const imageTokens = options.imageTokens ?? DEFAULT_IMAGE_TOKENS;
  let total = REPLY_PRIMING;
  if (request.system) total += PER_MESSAGE + count(request.system, modelId);
  for (const message of request.messages) total += messageTokens(message, modelId, imageTokens);
  for (const tool of request.tools ?? []) {
    total += PER_TOOL + count(tool.name, modelId) + count(tool.description ?? '', modelId);
    total += count(JSON.stringify(tool.parameters), modelId);
  }
  const format = request.responseFormat;
  if (format?.type === 'json_schema')
    total += count(JSON.stringify(format.schema), modelId) + count(format.name ?? '', modelId);
  return total;
}

/** Tokens of one text (a module function, not a closure per request). */
function count(text: string, modelId: string): number {
  return text.length === 0 ? 0 : countTokens(text, modelId);
}

function messageTokens(message: ChatMessage, modelId: string, imageTokens: number): number {
  let n = PER_MESSAGE;
  switch (message.role) {
    case 'system':
      return n + count(message.content, modelId);
    case 'tool':
      return (
        n +
        count(message.content, modelId) +
        count(message.name ?? '', modelId) +
        count(message.toolCallId, modelId)
      );
    case 'assistant':
      n += count(message.content ?? '', modelId);
      for (const call of message.toolCalls ?? []) {
        n += PER_TOOL_CALL + count(call.name, modelId) + count(call.arguments, modelId);
      }
      return n;
    case 'user':
      if (message.name) n += 1 + count(message.name, modelId);
      if (typeof message.content === 'string') return n + count(message.content, modelId);
      for (const part of message.content)
        n += part.type === 'text' ? count(part.text, modelId) : imageTokens;
      return n;
  }
}

export interface WorstCaseTokens {
  readonly input: number;
  /** `maxTokens` when the request sets it, else the model's `maxOutputTokens` (never above it). */
  readonly output: number;
  readonly total: number;
}

/**
 * The most tokens a call can use: its input plus the longest completion it
 * may produce. Not clamped to the context window: some providers count
 * input and output limits separately, and over-reserving is the safe error.
 */
export function worstCaseTokens(
  request: ChatRequest,
  capabilities: Pick<ModelCapabilities, 'maxOutputTokens'>,
  modelId = '',
  options: RequestTokenOptions = {},
): WorstCaseTokens {
  const input = countRequestTokens(request, modelId, options);
  const cap = capabilities.maxOutputTokens;
  const requested = request.maxTokens;
  const output = Math.max(0, requested === undefined ? cap : Math.min(requested, cap));
  return { input, output, total: input + output };
}

/**
 * Worst-case cost in USD: input at the input price plus the whole output
 * allowance at the higher of the output and reasoning prices, plus any
 * per-request fee. This is what a budget reserves before the call.
 */
export function worstCaseCostUsd(tokens: WorstCaseTokens, pricing: ModelPricing): number {
  const outputPrice = Math.max(pricing.outputPerMillion, pricing.reasoningPerMillion ?? 0);
  return (
    (tokens.input * pricing.inputPerMillion + tokens.output * outputPrice) / 1_000_000 +
    (pricing.perRequest ?? 0)
  );
}
