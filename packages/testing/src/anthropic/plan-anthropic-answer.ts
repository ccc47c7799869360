import type { ModelProfile } from '../model-profile.js';
import { countTokens, simulateText } from '../simulated-text.js';
import type { AnthropicFaultScript } from './anthropic-fault-script.js';

/** A `/v1/messages` request body, as far as the fake reads it. */
export interface MessagesBody {
  readonly model?: unknown;
  readonly max_tokens?: unknown;
  readonly messages?: unknown;
  readonly system?: unknown;
  readonly tools?: unknown;
  readonly tool_choice?: unknown;
  readonly stop_sequences?: unknown;
  readonly thinking?: unknown;
  readonly stream?: unknown;
}

export interface PlannedToolCall {
  readonly id: string;
  readonly name: string;
  /** The input object (`{}` when the scripted JSON does not parse). */
  readonly input: unknown;
  /** The input as JSON text, streamed in pieces as `input_json_delta`. */
  readonly inputJson: string;
}

export interface AnthropicUsageWire {
  readonly input_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly output_tokens: number;
  readonly thinking_tokens: number;
}

/** Everything one answer consists of, before it is encoded as JSON or SSE. */
export interface AnswerPlan {
  readonly id: string;
  readonly model: string;
  readonly thinking: string | undefined;
  readonly text: string;
  readonly toolCalls: readonly PlannedToolCall[];
  readonly stopReason: string;
  readonly stopSequence: string | null;
  readonly usage: AnthropicUsageWire;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** All the text a request carries (system, messages, tool definitions). */
export function requestText(body: MessagesBody): string {
  const parts: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) for (const item of v) collect(item);
    else if (isRecord(v)) {
      for (const key of ['text', 'content', 'thinking', 'name', 'description']) collect(v[key]);
      if (v.input !== undefined) parts.push(JSON.stringify(v.input));
      if (v.input_schema !== undefined) parts.push(JSON.stringify(v.input_schema));
    }
  };
  collect(body.system);
  collect(body.messages);
  collect(body.tools);
  return parts.join('\n');
}

/** Input tokens of a request, as the fake counts them (and `count_tokens` reports). */
export function countRequestTokens(body: MessagesBody): number {
  return Math.max(1, countTokens(requestText(body)));
}

function lastUserPrompt(body: MessagesBody): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m: unknown = messages[i];
    if (isRecord(m) && m.role === 'user') return requestText({ messages: [m] });
  }
  return '';
}

/** A plausible value for a JSON schema, so a forced tool gets schema-shaped input. */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isRecord(schema) || depth > 6) return null;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = isRecord(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(props)) out[key] = sampleFromSchema(sub, depth + 1);
      return out;
    }
    case 'array':
      return [sampleFromSchema(schema.items, depth + 1)];
    case 'string':
      return 'example';
    case 'integer':
      return 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    default:
      return isRecord(schema.properties)
        ? sampleFromSchema({ ...schema, type: 'object' }, depth)
        : null;
  }
}

function forcedTool(body: MessagesBody): { name: string; schema: unknown } | undefined {
  const choice = body.tool_choice;
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  if (!isRecord(choice) || tools.length === 0) return undefined;
  const tool =
    choice.type === 'tool'
      ? tools.find((t) => t.name === choice.name)
      : choice.type === 'any'
        ? tools[0]
        : undefined;
  return tool && typeof tool.name === 'string'
    ? { name: tool.name, schema: tool.input_schema }
    : undefined;
}

/** Cuts `text` to about `tokens` tokens, on a code point boundary. */
function truncateToTokens(text: string, tokens: number): string {
  return Array.from(text)
    .slice(0, Math.max(0, tokens * 4))
    .join('');
}

/**
 * Decides the answer to a request: the script's text and tool calls when it
 * has them, else simulated text (or schema-shaped input for a forced tool),
 * with stop sequences and `max_tokens` applied and usage counted.
 */
export function planAnthropicAnswer(
  body: MessagesBody,
  script: AnthropicFaultScript | undefined,
  profile: Required<ModelProfile>,
  ids: { readonly message: string; readonly tool: () => string },
): AnswerPlan {
  const model = typeof body.model === 'string' ? body.model : 'claude-unknown';
  const maxTokens =
    typeof body.max_tokens === 'number' ? body.max_tokens : Number.POSITIVE_INFINITY;
  const thinkingConfig = isRecord(body.thinking) ? body.thinking.type : undefined;
  const thinking =
    script?.thinking ??
    (thinkingConfig === 'enabled' || thinkingConfig === 'adaptive'
      ? `Let me think about how to answer: ${lastUserPrompt(body).slice(0, 80)}`
      : undefined);

  let toolCalls: PlannedToolCall[] = [];
  if (script?.toolCalls) {
    toolCalls = script.toolCalls.map((call) => {
      let input: unknown = {};
      try {
        input = JSON.parse(call.arguments);
      } catch {
        input = {};
      }
      return { id: ids.tool(), name: call.name, input, inputJson: call.arguments };
    });
  } else {
    const forced = forcedTool(body);
    if (forced) {
      const input = sampleFromSchema(forced.schema) ?? {};
      toolCalls = [{ id: ids.tool(), name: forced.name, input, inputJson: JSON.stringify(input) }];
    }
  }

  let text =
    script?.text ??
    (toolCalls.length > 0
      ? ''
      : simulateText(lastUserPrompt(body), model, profile.answerTokens, profile.quality));
  let stopReason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
  let stopSequence: string | null = script?.stopSequence ?? null;
  if (stopSequence !== null) stopReason = 'stop_sequence';
  else if (Array.isArray(body.stop_sequences)) {
    for (const seq of body.stop_sequences) {
      const at = typeof seq === 'string' && seq !== '' ? text.indexOf(seq) : -1;
      if (at !== -1) {
        text = text.slice(0, at);
        stopReason = 'stop_sequence';
        stopSequence = seq as string;
        toolCalls = [];
        break;
      }
    }
  }
  if (stopReason !== 'stop_sequence' && countTokens(text) > maxTokens) {
    text = truncateToTokens(text, maxTokens);
    stopReason = 'max_tokens';
    toolCalls = [];
  }
  if (script?.finishReason) stopReason = script.finishReason;

  const totalInput = script?.usage?.inputTokens ?? countRequestTokens(body);
  const cacheRead = script?.usage?.cachedInputTokens ?? 0;
  const cacheWrite = script?.cacheCreationInputTokens ?? 0;
  const thinkingTokens = script?.usage?.reasoningTokens ?? (thinking ? countTokens(thinking) : 0);
  const outputTokens =
    script?.usage?.outputTokens ??
    countTokens(text) +
      thinkingTokens +
      toolCalls.reduce((n, c) => n + countTokens(c.inputJson), 0);
  return {
    id: ids.message,
    model,
    thinking,
    text,
    toolCalls,
    stopReason,
    stopSequence,
    usage: {
      input_tokens: Math.max(0, totalInput - cacheRead - cacheWrite),
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      output_tokens: outputTokens,
      thinking_tokens: thinkingTokens,
    },
  };
}
