import type { ModelProfile } from '../model-profile.js';
import { hashString, seededRandom } from '../seeded-random.js';
import { countTokens, simulateText } from '../simulated-text.js';
import type { OpenAIFaultScript } from './openai-fault-script.js';
import { synthesizeJson } from './synthesize-json.js';

type Json = Readonly<Record<string, unknown>>;

export interface AnswerToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** OpenAI's usage object, with the token details it reports. */
export interface OpenAIUsageBody {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number; readonly audio_tokens: number };
  readonly completion_tokens_details: {
    readonly reasoning_tokens: number;
    readonly audio_tokens: number;
    readonly accepted_prediction_tokens: number;
    readonly rejected_prediction_tokens: number;
  };
}

/** What the simulated model answers to one chat request. */
export interface ChatAnswer {
  readonly content: string | null;
  readonly refusal: string | null;
  readonly toolCalls: readonly AnswerToolCall[];
  readonly finishReason: string;
  readonly usage: OpenAIUsageBody;
}

export function asJson(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

/** The text of a message's `content` (a string or an array of parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = asJson(part);
      return typeof p.text === 'string' ? p.text : typeof p.refusal === 'string' ? p.refusal : '';
    })
    .join('');
}

/** o-series and gpt-5 reasoning models, with or without a publisher prefix (`openai/o3`). */
export function isReasoningModelId(model: string): boolean {
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return /^o\d(?:-|$)/.test(id) || (/^gpt-5(?:[.-]|$)/.test(id) && !id.includes('chat'));
}

/**
 * Decides the answer: the script's text or tool calls when given; otherwise a
 * tool call when tools are offered and the turn calls for one, JSON matching
 * the requested schema, or plausible simulated text cut at the token limit.
 */
export function answerChat(
  body: Json,
  model: string,
  script: OpenAIFaultScript | undefined,
  profile: Required<ModelProfile>,
): ChatAnswer {
  const messages = Array.isArray(body.messages) ? body.messages.map(asJson) : [];
  const prompt = [...messages].reverse().find((m) => m.role === 'user');
  const promptText = prompt ? contentText(prompt.content) : '';
  const seed = typeof body.seed === 'number' ? body.seed : 0;
  const random = seededRandom(hashString(`${model}\u0000${promptText}\u0000${seed}`));
  const filler = simulateText(promptText, model, profile.answerTokens, profile.quality);

  let content: string | null = null;
  let refusal: string | null = null;
  let toolCalls: AnswerToolCall[] = [];
  let finishReason = 'stop';
  const tools = Array.isArray(body.tools) ? body.tools.map(asJson) : [];
  const last = messages[messages.length - 1];

  if (script?.refusal !== undefined) {
    refusal = script.refusal;
  } else if (script?.toolCalls) {
    toolCalls = script.toolCalls.map((call) => ({ id: callId(random), ...call }));
    content = script.text ?? null;
    finishReason = 'tool_calls';
  } else if (script?.text !== undefined) {
    content = script.text;
  } else if (tools.length > 0 && body.tool_choice !== 'none' && last?.role !== 'tool') {
    const tool = chooseTool(tools, body.tool_choice);
    const fn = asJson(tool.function);
    const args = synthesizeJson(asJson(fn.parameters), {
      root: asJson(fn.parameters),
      text: filler,
      random,
    });
    toolCalls = [{ id: callId(random), name: String(fn.name), arguments: JSON.stringify(args) }];
    finishReason = 'tool_calls';
  } else {
    const format = asJson(body.response_format);
    if (format.type === 'json_schema') {
      const schema = asJson(asJson(format.json_schema).schema);
      content = JSON.stringify(synthesizeJson(schema, { root: schema, text: filler, random }));
    } else if (format.type === 'json_object') {
      content = JSON.stringify({ answer: filler });
    } else {
      content = filler;
      const limit = maxTokens(body);
      if (limit !== undefined && countTokens(content) > limit) {
        content = content.slice(0, limit * 4);
        finishReason = 'length';
      }
    }
  }
  if (script?.finishReason !== undefined) finishReason = script.finishReason;

  const visible =
    countTokens(content ?? refusal ?? '') +
    toolCalls.reduce((n, c) => n + countTokens(c.name + c.arguments), 0);
  const reasoning = script?.usage?.reasoningTokens ?? (isReasoningModelId(model) ? visible * 2 : 0);
  const promptTokens = script?.usage?.inputTokens ?? countPromptTokens(messages, tools);
  const completionTokens = script?.usage?.outputTokens ?? visible + reasoning;
  return {
    content,
    refusal,
    toolCalls,
    finishReason,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: {
        cached_tokens: script?.usage?.cachedInputTokens ?? 0,
        audio_tokens: 0,
      },
      completion_tokens_details: {
        reasoning_tokens: reasoning,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

function chooseTool(tools: readonly Json[], choice: unknown): Json {
  const named = asJson(asJson(choice).function).name;
  return tools.find((t) => asJson(t.function).name === named) ?? tools[0]!;
}

function maxTokens(body: Json): number | undefined {
  const limit = body.max_completion_tokens ?? body.max_tokens;
  return typeof limit === 'number' && limit > 0 ? limit : undefined;
}

function countPromptTokens(messages: readonly Json[], tools: readonly Json[]): number {
  let total = 3;
  for (const m of messages)
    total +=
      4 + countTokens(contentText(m.content)) + countTokens(JSON.stringify(m.tool_calls ?? ''));
  if (tools.length > 0) total += countTokens(JSON.stringify(tools));
  return total;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A tool-call id in OpenAI's `call_` + 24 characters form. */
export function callId(random: () => number): string {
  let id = 'call_';
  for (let i = 0; i < 24; i++) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return id;
}
