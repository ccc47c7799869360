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
  if (!usage || typeof usage !== 'object') return out;
  const prompt = count(usage.promptTokenCount);
  const toolUse = count(usage.toolUsePromptTokenCount);
  const candidates = count(usage.candidatesTokenCount);
  const thoughts = count(usage.thoughtsTokenCount);
  const total = count(usage.totalTokenCount);
  const cached = count(usage.cachedContentTokenCount);
  if (prompt !== undefined || toolUse !== undefined)
    out.inputTokens = (prompt ?? 0) + (toolUse ?? 0);
  if (candidates !== undefined || thoughts !== undefined) {
    out.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  } else if (out.inputTokens !== undefined) out.outputTokens = 0;
  if (total !== undefined) out.totalTokens = total;
  if (cached !== undefined) out.cachedInputTokens = cached;
  if (thoughts !== undefined) out.reasoningTokens = thoughts;
  out.raw = usage;
  return out;
}

/** A token count from the wire, or undefined when it is not a sane number. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
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
  if (parts === undefined || parts === null) return { text, calls };
  if (!Array.isArray(parts)) throw new Error("the candidate's content.parts is not an array");
  for (const part of parts) {
    if (typeof part !== 'object' || part === null) continue;
    const fc = part.functionCall;
    if (typeof fc === 'object' && fc !== null) {
      const name = typeof fc.name === 'string' ? fc.name : '';
      const args = JSON.stringify(typeof fc.args === 'object' && fc.args !== null ? fc.args : {});
      const index = firstCallIndex + calls.length;
      const id =
        typeof fc.id === 'string' && fc.id !== ''
          ? fc.id
          : syntheticToolCallId(responseId, index, name, args);
      const signature =
        typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined;
      calls.push({ call: { id, name, arguments: args }, signature });
    } else if (typeof part.text === 'string' && part.thought !== true) {
      text += part.text;
    }
  }
  return { text, calls };
}
