import type { FinishReason, ToolCall, Usage } from '@orchestrator/core';

/** The final (`done: true`) part of an Ollama answer, as far as usage and stop reason go. */
export interface OllamaDoneFields {
  readonly done_reason?: unknown;
  readonly prompt_eval_count?: unknown;
  readonly eval_count?: unknown;
  readonly total_duration?: unknown;
  readonly load_duration?: unknown;
  readonly prompt_eval_duration?: unknown;
  readonly eval_duration?: unknown;
}

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/**
 * `done_reason` to the normalized union: `stop` → stop, `length` → length,
 * and any answer that called tools → tool_calls (Ollama says `stop` there).
 * `load`/`unload` (a model load or unload, no generation) → other.
 */
export function mapOllamaFinishReason(doneReason: unknown, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  switch (doneReason) {
    case undefined:
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}

/** Usage from Ollama's counters: input = `prompt_eval_count`, output = `eval_count` (thinking included). */
export function convertOllamaUsage(done: OllamaDoneFields): Usage {
  const inputTokens = count(done.prompt_eval_count);
  const outputTokens = count(done.eval_count);
  const raw: Record<string, number> = {};
  if (inputTokens !== undefined) raw.prompt_eval_count = inputTokens;
  if (outputTokens !== undefined) raw.eval_count = outputTokens;
  const total = count(done.total_duration);
  if (total !== undefined) raw.total_duration = total;
  const load = count(done.load_duration);
  if (load !== undefined) raw.load_duration = load;
  const promptEval = count(done.prompt_eval_duration);
  if (promptEval !== undefined) raw.prompt_eval_duration = promptEval;
  const evalDuration = count(done.eval_duration);
  if (evalDuration !== undefined) raw.eval_duration = evalDuration;
  if (inputTokens === undefined && outputTokens === undefined) return { raw };
  return {
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
    totalTokens: (inputTokens ?? 0) + (outputTokens ?? 0),
    raw,
  };
}

/** cyrb53: a fast 53-bit string hash, enough to make collisions between calls implausible. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Ollama sends no tool-call ids (newer servers may: those are kept). The
 * synthesized id is a function of the call's position, name and arguments,
 * so a streamed and a plain answer, or a retried one, get the same ids.
 */
export function ollamaToolCallId(index: number, name: string, argumentsJson: string): string {
  return `call_${index}_${hash53(`${name}\u0000${argumentsJson}`)}`;
}

/** A wire tool call, already checked to have a function name. */
export interface OllamaWireCall {
  readonly id?: unknown;
  readonly function: { readonly name: string; readonly arguments?: unknown };
}

export function mapOllamaToolCall(call: OllamaWireCall, index: number): ToolCall {
  const args = call.function.arguments;
  const argumentsJson = typeof args === 'string' ? args : JSON.stringify(args ?? {});
  const id =
    typeof call.id === 'string' && call.id !== ''
      ? call.id
      : ollamaToolCallId(index, call.function.name, argumentsJson);
  return { id, name: call.function.name, arguments: argumentsJson };
}

/** One chat message (a stream part or the whole answer), checked against Ollama's protocol. */
export interface OllamaChatPart {
  readonly model: string | undefined;
  readonly content: string;
  readonly toolCalls: readonly OllamaWireCall[];
  readonly done: boolean;
  readonly fields: OllamaDoneFields;
}

/** Reads an `/api/chat` message; undefined when it does not have the promised shape. */
export function readOllamaChatPart(value: unknown): OllamaChatPart | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const part = value as { model?: unknown; message?: unknown; done?: unknown } & OllamaDoneFields;
  const message = part.message as { content?: unknown; tool_calls?: unknown } | undefined | null;
  if (message !== undefined && (typeof message !== 'object' || message === null)) return undefined;
  const content = message?.content ?? '';
  if (typeof content !== 'string') return undefined;
  const rawCalls = message?.tool_calls ?? [];
  if (!Array.isArray(rawCalls)) return undefined;
  for (const call of rawCalls) {
    const fn = (call as { function?: { name?: unknown } } | null)?.function;
    if (typeof fn?.name !== 'string' || fn.name === '') return undefined;
  }
  if (part.done !== undefined && typeof part.done !== 'boolean') return undefined;
  return {
    model: typeof part.model === 'string' ? part.model : undefined,
    content,
    toolCalls: rawCalls as OllamaWireCall[],
    done: part.done === true,
    fields: part,
  };
}
