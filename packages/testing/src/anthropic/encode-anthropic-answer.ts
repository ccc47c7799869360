import { splitIntoTokens } from '../simulated-text.js';
import { type LineEnding, sseEvent } from '../write-stream.js';
import type { AnswerPlan, AnthropicUsageWire } from './plan-anthropic-answer.js';

/** Size, in code points, of the pieces a tool's input JSON is streamed in. */
const JSON_PIECE = 12;

function signatureOf(text: string): string {
  return Buffer.from(`sig:${text.length}:${text.slice(0, 24)}`, 'utf8').toString('base64');
}

function usageJson(usage: AnthropicUsageWire): Record<string, unknown> {
  return {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    output_tokens: usage.output_tokens,
    ...(usage.thinking_tokens > 0
      ? { output_tokens_details: { thinking_tokens: usage.thinking_tokens } }
      : {}),
  };
}

/** The non-streaming `Message` object for a plan. */
export function encodeAnthropicMessage(plan: AnswerPlan): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (plan.thinking !== undefined) {
    content.push({
      type: 'thinking',
      thinking: plan.thinking,
      signature: signatureOf(plan.thinking),
    });
  }
  if (plan.text !== '' || plan.toolCalls.length === 0) {
    content.push({ type: 'text', text: plan.text, citations: null });
  }
  for (const call of plan.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
  }
  return {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content,
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    stop_details: null,
    container: null,
    usage: { ...usageJson(plan.usage), service_tier: 'standard' },
  };
}

function pieces(text: string, size: number): string[] {
  const points = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out;
}

/**
 * Anthropic's streaming event sequence for a plan: `message_start` (with the
 * input usage), per content block `content_block_start` / deltas /
 * `content_block_stop` (a `ping` after the first start), then `message_delta`
 * with the stop reason and cumulative usage, then `message_stop`.
 */
export function encodeAnthropicStream(plan: AnswerPlan, eol: LineEnding = '\n'): string[] {
  const events: string[] = [];
  const push = (type: string, data: Record<string, unknown>) =>
    events.push(sseEvent({ type, ...data }, type, eol));
  push('message_start', {
    message: {
      id: plan.id,
      type: 'message',
      role: 'assistant',
      model: plan.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      container: null,
      usage: {
        input_tokens: plan.usage.input_tokens,
        cache_creation_input_tokens: plan.usage.cache_creation_input_tokens,
        cache_read_input_tokens: plan.usage.cache_read_input_tokens,
        output_tokens: 1,
        service_tier: 'standard',
      },
    },
  });
  let index = 0;
  const start = (block: Record<string, unknown>) => {
    push('content_block_start', { index, content_block: block });
    if (index === 0) events.push(sseEvent({ type: 'ping' }, 'ping', eol));
  };
  const delta = (d: Record<string, unknown>) => push('content_block_delta', { index, delta: d });
  const stop = () => push('content_block_stop', { index: index++ });

  if (plan.thinking !== undefined) {
    start({ type: 'thinking', thinking: '', signature: '' });
    for (const piece of splitIntoTokens(plan.thinking))
      delta({ type: 'thinking_delta', thinking: piece });
    delta({ type: 'signature_delta', signature: signatureOf(plan.thinking) });
    stop();
  }
  if (plan.text !== '' || plan.toolCalls.length === 0) {
    start({ type: 'text', text: '', citations: null });
    for (const piece of splitIntoTokens(plan.text)) delta({ type: 'text_delta', text: piece });
    stop();
  }
  for (const call of plan.toolCalls) {
    start({ type: 'tool_use', id: call.id, name: call.name, input: {} });
    delta({ type: 'input_json_delta', partial_json: '' });
    for (const piece of pieces(call.inputJson, JSON_PIECE)) {
      delta({ type: 'input_json_delta', partial_json: piece });
    }
    stop();
  }
  push('message_delta', {
    delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence, stop_details: null },
    usage: usageJson(plan.usage),
  });
  push('message_stop', {});
  return events;
}
