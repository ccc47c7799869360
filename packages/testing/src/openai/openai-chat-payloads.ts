import { splitIntoTokens } from '../simulated-text.js';
import { type LineEnding, sseEvent } from '../write-stream.js';
import type { ChatAnswer } from './openai-chat-answer.js';

export interface CompletionMeta {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  readonly systemFingerprint: string;
}

type JsonObject = Record<string, unknown>;

/** A non-streamed `chat.completion` object for an answer. */
export function buildCompletion(answer: ChatAnswer, meta: CompletionMeta): JsonObject {
  const message: JsonObject = {
    role: 'assistant',
    content: answer.content,
    refusal: answer.refusal,
    annotations: [],
  };
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: meta.systemFingerprint,
  };
}

/**
 * The `chat.completion.chunk` objects of a streamed answer, in the order the
 * API sends them: the role, content (or refusal) one token at a time, each
 * tool call as a header (index, id, name) followed by argument pieces, the
 * finish reason, and, with `include_usage`, a usage chunk with no choices.
 * With `include_usage` every earlier chunk carries `"usage": null`.
 */
export function buildChunks(
  answer: ChatAnswer,
  meta: CompletionMeta,
  includeUsage: boolean,
): JsonObject[] {
  const chunks: JsonObject[] = [];
  const chunk = (delta: JsonObject, finishReason: string | null = null): JsonObject => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: meta.systemFingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });

  const hasText = answer.content !== null || answer.refusal !== null;
  if (hasText || answer.toolCalls.length === 0) {
    chunks.push(
      chunk({ role: 'assistant', content: answer.refusal === null ? '' : null, refusal: null }),
    );
    if (answer.refusal !== null) {
      for (const piece of splitIntoTokens(answer.refusal)) chunks.push(chunk({ refusal: piece }));
    } else {
      for (const piece of splitIntoTokens(answer.content ?? ''))
        chunks.push(chunk({ content: piece }));
    }
  }
  answer.toolCalls.forEach((call, index) => {
    const header = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    chunks.push(
      chunk(
        index === 0 && !hasText
          ? { role: 'assistant', content: null, tool_calls: [header], refusal: null }
          : { tool_calls: [header] },
      ),
    );
    for (const piece of splitArguments(call.arguments)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, answer.finishReason));
  if (includeUsage) {
    chunks.push({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      service_tier: 'default',
      system_fingerprint: meta.systemFingerprint,
      choices: [],
      usage: answer.usage,
    });
  }
  return chunks;
}

/** Tool arguments arrive in small pieces, the way the API streams them. */
function splitArguments(args: string): string[] {
  const pieces: string[] = [];
  const size = Math.max(4, Math.ceil(args.length / 4));
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size));
  return pieces;
}

/** One SSE `data:` event with the given line ending (the shared `sseEvent`, unnamed). */
export function sseData(data: unknown, lineEnding: LineEnding = '\n'): string {
  return sseEvent(data, undefined, lineEnding);
}
