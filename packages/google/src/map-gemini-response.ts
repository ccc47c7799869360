import type { FinishReason, ToolCall, Usage } from '@orchestrator/core';
import { syntheticToolCallId } from './tool-call-ids.js';

/** The parts of a Gemini response this adapter reads (shapes as on the wire). */
export interface GeminiPartLike {
  readonly text?: string;
  readonly thought?: boolean;
  readonly thoughtSignature?: string;
  readonly functionCall?: { readonly id?: string; readonly name?: string; readonly args?: unknown };
}
export interface GeminiUsageLike {
  readonly promptTokenCount?: number;
  readonly candidatesTokenCount?: number;
  readonly cachedContentTokenCount?: number;
  readonly thoughtsTokenCount?: number;
  readonly toolUsePromptTokenCount?: number;
  readonly totalTokenCount?: number;
}

/**
 * Gemini's finish reason in the normalized union. STOP with function calls
 * is a tool call; the safety family (SAFETY, RECITATION, BLOCKLIST,
 * PROHIBITED_CONTENT, SPII, IMAGE_SAFETY…) is a content filter.
 */
export function mapGoogleFinishReason(
  raw: string | undefined,
  hasToolCalls: boolean,
): FinishReason {
  if (raw === undefined || raw === 'STOP') return hasToolCalls ? 'tool_calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (/SAFETY|RECITATION|BLOCKLIST|PROHIBITED|SPII/.test(raw)) return 'content_filter';
  return 'other';
}

/**
 * Normalized usage. `promptTokenCount` already includes cached tokens; tool-use
 * prompt tokens are billed as input; thinking tokens are output.
 */
export function convertGoogleUsage(usage: GeminiUsageLike | undefined): Usage {
  if (!usage) return {};
  const input =
    usage.promptTokenCount === undefined && usage.toolUsePromptTokenCount === undefined
      ? undefined
      : (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const output =
    usage.candidatesTokenCount === undefined && usage.thoughtsTokenCount === undefined
      ? input === undefined
        ? undefined
        : 0
      : (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  return {
    ...(input === undefined ? {} : { inputTokens: input }),
    ...(output === undefined ? {} : { outputTokens: output }),
    ...(usage.totalTokenCount === undefined ? {} : { totalTokens: usage.totalTokenCount }),
    ...(usage.cachedContentTokenCount === undefined
      ? {}
      : { cachedInputTokens: usage.cachedContentTokenCount }),
    ...(usage.thoughtsTokenCount === undefined
      ? {}
      : { reasoningTokens: usage.thoughtsTokenCount }),
    raw: usage,
  };
}

/** A tool call read from a function-call part, with its thought signature if any. */
export interface MappedToolCall {
  readonly call: ToolCall;
  readonly signature: string | undefined;
}

/** Text (thought summaries left out) and function calls of one candidate's parts. */
export function readParts(
  parts: readonly GeminiPartLike[] | undefined,
  responseId: string | undefined,
  firstCallIndex: number,
): { text: string; calls: MappedToolCall[] } {
  let text = '';
  const calls: MappedToolCall[] = [];
  for (const part of parts ?? []) {
    if (part.functionCall) {
      const name = part.functionCall.name ?? '';
      const args = JSON.stringify(part.functionCall.args ?? {});
      const index = firstCallIndex + calls.length;
      const id = part.functionCall.id || syntheticToolCallId(responseId, index, name, args);
      calls.push({ call: { id, name, arguments: args }, signature: part.thoughtSignature });
    } else if (typeof part.text === 'string' && part.thought !== true) {
      text += part.text;
    }
  }
  return { text, calls };
}
