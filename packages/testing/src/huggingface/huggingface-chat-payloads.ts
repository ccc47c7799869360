import type { FaultScript } from '../fault-script.js';
import { countTokens, simulateText, splitIntoTokens } from '../simulated-text.js';

/** What a TGI server reports as its build. */
export const TGI_FINGERPRINT = '3.3.4-sha-fake';

export interface ChatAnswer {
  readonly model: string;
  readonly text: string;
  readonly toolCalls: readonly { readonly name: string; readonly arguments: string }[];
  readonly finishReason: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens?: number;
  readonly reasoningTokens?: number;
}

interface ChatBody {
  readonly messages?: unknown;
  readonly tools?: unknown;
  readonly tool_choice?: unknown;
  readonly max_tokens?: unknown;
}

/** Every piece of text in the request's messages, for token counts and the simulated answer. */
export function messageTexts(body: ChatBody): string[] {
  const out: string[] = [];
  if (!Array.isArray(body.messages)) return out;
  for (const m of body.messages as { content?: unknown }[]) {
    if (typeof m?.content === 'string') out.push(m.content);
    else if (Array.isArray(m?.content)) {
      for (const part of m.content as { text?: unknown }[]) {
        if (typeof part?.text === 'string') out.push(part.text);
      }
    }
  }
  return out;
}

/** The tool the request forces (`tool_choice` "required" or a named function), if any. */
function forcedTool(body: ChatBody): string | undefined {
  const tools = Array.isArray(body.tools)
    ? (body.tools as { function?: { name?: unknown } }[])
    : [];
  const choice = body.tool_choice as { function?: { name?: unknown } } | string | undefined;
  if (choice && typeof choice === 'object' && typeof choice.function?.name === 'string') {
    return choice.function.name;
  }
  if (choice === 'required' && typeof tools[0]?.function?.name === 'string')
    return tools[0].function.name;
  return undefined;
}

/** Decides the answer to a chat request: the script's text and tool calls, else simulated text. */
export function chatAnswer(
  body: ChatBody,
  model: string,
  script: FaultScript | undefined,
  profile: { readonly answerTokens: number; readonly quality: number },
): ChatAnswer {
  const texts = messageTexts(body);
  const forced = forcedTool(body);
  const toolCalls = script?.toolCalls ?? (forced ? [{ name: forced, arguments: '{}' }] : []);
  let text =
    script?.text ??
    (toolCalls.length > 0
      ? ''
      : simulateText(texts.at(-1) ?? '', model, profile.answerTokens, profile.quality));
  let finishReason = script?.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
  if (script?.text === undefined && maxTokens !== undefined && countTokens(text) > maxTokens) {
    text = text.slice(0, Math.max(1, maxTokens * 4));
    finishReason = 'length';
  }
  const usage = script?.usage;
  return {
    model,
    text,
    toolCalls,
    finishReason,
    promptTokens: usage?.inputTokens ?? countTokens(texts.join('\n')) + 4 * texts.length,
    completionTokens:
      usage?.outputTokens ??
      countTokens(text) + toolCalls.reduce((n, c) => n + countTokens(c.name + c.arguments), 0),
    ...(usage?.cachedInputTokens === undefined ? {} : { cachedTokens: usage.cachedInputTokens }),
    ...(usage?.reasoningTokens === undefined ? {} : { reasoningTokens: usage.reasoningTokens }),
  };
}

export function usageJson(answer: ChatAnswer): Record<string, unknown> {
  return {
    prompt_tokens: answer.promptTokens,
    completion_tokens: answer.completionTokens,
    total_tokens: answer.promptTokens + answer.completionTokens,
    ...(answer.cachedTokens === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: answer.cachedTokens } }),
    ...(answer.reasoningTokens === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: answer.reasoningTokens } }),
  };
}

/** A non-streamed chat completion, as TGI (and the router) send it. */
export function chatCompletionJson(
  answer: ChatAnswer,
  id: string,
  argumentsAsObject = false,
): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant' };
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call, i) => ({
      id: String(i),
      type: 'function',
      function: {
        description: null,
        name: call.name,
        arguments: argumentsAsObject ? safeParse(call.arguments) : call.arguments,
      },
    }));
    if (answer.text) message.content = answer.text;
  } else {
    message.content = answer.text;
  }
  return {
    object: 'chat.completion',
    id,
    created: Math.floor(Date.now() / 1000),
    model: answer.model,
    system_fingerprint: TGI_FINGERPRINT,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: usageJson(answer),
  };
}

/** The stream chunks (JSON objects) of a chat completion, TGI style; `[DONE]` is added by the caller. */
export function chatCompletionChunks(
  answer: ChatAnswer,
  id: string,
  includeUsage: boolean,
): Record<string, unknown>[] {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null,
  ): Record<string, unknown> => ({
    object: 'chat.completion.chunk',
    id,
    created,
    model: answer.model,
    system_fingerprint: TGI_FINGERPRINT,
    choices: [
      { index: 0, delta: { role: 'assistant', ...delta }, logprobs: null, finish_reason: finish },
    ],
    usage: null,
  });
  const out: Record<string, unknown>[] = [];
  const pieces = splitIntoTokens(answer.text);
  const withTools = answer.toolCalls.length > 0;
  pieces.forEach((piece, i) => {
    const last = i === pieces.length - 1 && !withTools;
    out.push(chunk({ content: piece }, last ? answer.finishReason : null));
  });
  answer.toolCalls.forEach((call, index) => {
    const head = {
      index,
      id: String(index),
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    out.push(chunk({ tool_calls: [head] }, null));
    for (const part of splitArguments(call.arguments)) {
      const delta = { index, id: '', type: 'function', function: { name: null, arguments: part } };
      out.push(chunk({ tool_calls: [delta] }, null));
    }
  });
  if (pieces.length === 0 || withTools) out.push(chunk({ content: '' }, answer.finishReason));
  if (includeUsage) {
    out.push({
      object: 'chat.completion.chunk',
      id,
      created,
      model: answer.model,
      system_fingerprint: TGI_FINGERPRINT,
      choices: [],
      usage: usageJson(answer),
    });
  }
  return out;
}

function splitArguments(text: string): string[] {
  if (text.length <= 8) return [text];
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
