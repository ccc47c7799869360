import type { FinishReason, ToolCall, Usage } from '@orchestrator/core';

/** What a non-streamed reply says, whichever API produced it. */
export interface ParsedReply {
  readonly id?: string;
  readonly model?: string;
  readonly content: string;
  readonly toolCalls: readonly ToolCall[];
  readonly rawFinishReason?: string;
  readonly usage?: Usage;
}

/** Normalizes TGI's and OpenAI-style finish reasons. */
export function mapFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
    case 'eos_token':
    case 'stop_sequence':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/** Maps the OpenAI-style usage object TGI and the router report; undefined when there is none. */
export function mapUsage(raw: unknown): Usage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const u = raw as Record<string, unknown>;
  const input = num(u.prompt_tokens);
  const output = num(u.completion_tokens);
  if (input === undefined && output === undefined) return undefined;
  const cached = num(
    (u.prompt_tokens_details as Record<string, unknown> | undefined)?.cached_tokens,
  );
  const reasoning = num(
    (u.completion_tokens_details as Record<string, unknown> | undefined)?.reasoning_tokens,
  );
  const total = num(u.total_tokens) ?? (input ?? 0) + (output ?? 0);
  return {
    ...(input === undefined ? {} : { inputTokens: input }),
    ...(output === undefined ? {} : { outputTokens: output }),
    totalTokens: total,
    ...(cached ? { cachedInputTokens: cached } : {}),
    ...(reasoning ? { reasoningTokens: reasoning } : {}),
    raw,
  };
}

/** Tool-call arguments as JSON text: TGI 2.x sent an object, everyone else a string. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** The tool calls of a chat message; ids TGI leaves empty are made unique. */
export function mapToolCalls(raw: unknown): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  const out: ToolCall[] = [];
  raw.forEach((call: unknown, i) => {
    const c = call as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
    const name = c?.function?.name;
    if (typeof name !== 'string' || name === '') return;
    const id = typeof c?.id === 'string' && c.id !== '' ? c.id : `call_${i}`;
    out.push({ id, name, arguments: argumentsText(c?.function?.arguments) });
  });
  return out;
}

const nonEmpty = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/** Reads a chat completion; undefined when it has no `choices[0].message`. */
export function readChatCompletion(out: unknown): ParsedReply | undefined {
  const o = out as { id?: unknown; model?: unknown; usage?: unknown; choices?: unknown } | null;
  const choice = Array.isArray(o?.choices)
    ? (o.choices[0] as { message?: unknown; finish_reason?: unknown } | undefined)
    : undefined;
  const message = choice?.message as { content?: unknown; tool_calls?: unknown } | undefined;
  if (typeof message !== 'object' || message === null) return undefined;
  const id = nonEmpty(o?.id);
  const model = nonEmpty(o?.model);
  const rawFinishReason = nonEmpty(choice?.finish_reason);
  const usage = mapUsage(o?.usage);
  return {
    ...(id === undefined ? {} : { id }),
    ...(model === undefined ? {} : { model }),
    content: typeof message.content === 'string' ? message.content : '',
    toolCalls: mapToolCalls(message.tool_calls),
    ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
    ...(usage === undefined ? {} : { usage }),
  };
}
