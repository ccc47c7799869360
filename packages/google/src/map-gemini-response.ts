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
  // Built by assignment, not conditional spreads: this runs on every call.
  const out: { -readonly [K in keyof Usage]: Usage[K] } = {};
  if (!usage) return out;
  const { promptTokenCount: prompt, toolUsePromptTokenCount: toolUse } = usage;
  const { candidatesTokenCount: candidates, thoughtsTokenCount: thoughts } = usage;
  if (prompt !== undefined || toolUse !== undefined)
    out.inputTokens = (prompt ?? 0) + (toolUse ?? 0);
  if (candidates !== undefined || thoughts !== undefined) {
    out.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  } else if (out.inputTokens !== undefined) out.outputTokens = 0;
  if (usage.totalTokenCount !== undefined) out.totalTokens = usage.totalTokenCount;
  if (usage.cachedContentTokenCount !== undefined)
    out.cachedInputTokens = usage.cachedContentTokenCount;
  if (thoughts !== undefined) out.reasoningTokens = thoughts;
  out.raw = usage;
  return out;
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
