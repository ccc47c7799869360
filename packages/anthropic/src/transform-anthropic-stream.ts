import {
  type ChatChunk,
  InvalidResponseError,
  type ModelPricing,
  NetworkError,
  type Warning,
} from '@orchestrator/core';
import type { JsonOutputTool } from './build-anthropic-request.js';
import { jsonAnswer } from './convert-anthropic-response.js';
import {
  type AnthropicUsageLike,
  anthropicCost,
  convertAnthropicUsage,
} from './convert-anthropic-usage.js';
import { type ErrorContext, mapAnthropicError } from './map-anthropic-error.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

export interface StreamContext extends ErrorContext {
  readonly pricing: ModelPricing;
  readonly json: JsonOutputTool | undefined;
  readonly warnings: readonly Warning[];
}

/** What one content block of the stream turns into. */
type Block =
  | { readonly kind: 'text' }
  | { readonly kind: 'tool'; readonly toolIndex: number; sent: boolean }
  | { readonly kind: 'json'; buffer: string }
  | { readonly kind: 'ignored' };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class BadEvent extends Error {}

/**
 * Turns Anthropic's stream events into normalized chunks: text deltas, tool
 * call deltas (JSON-output tool input as text), then one `finish` after
 * `message_stop`, or one `error` chunk after whatever text came before —
 * including an `event: error` (overloaded) at the very start, before any chunk,
 * and a stream that ends without `message_stop`, which is never a finish.
 */
export async function* transformAnthropicStream(
  events: AsyncIterable<unknown>,
  ctx: StreamContext,
): AsyncGenerator<ChatChunk> {
  const blocks: Block[] = [];
  let tools = 0;
  let usage: Record<string, unknown> = {};
  let stopReason: string | undefined;
  let id: string | undefined;
  let model: string | undefined;
  let jsonAnswered = false;
  let stopped = false;
  try {
    for await (const event of events) {
      if (!isRecord(event) || typeof event.type !== 'string')
        throw new BadEvent('an event without a type');
      switch (event.type) {
        case 'message_start': {
          const message = event.message;
          if (!isRecord(message)) throw new BadEvent('message_start without a message');
          if (typeof message.id === 'string') id = message.id;
          if (typeof message.model === 'string') model = message.model;
          if (isRecord(message.usage)) usage = { ...message.usage };
          break;
        }
        case 'content_block_start': {
          const block = event.content_block;
          if (!isRecord(block) || typeof event.index !== 'number')
            throw new BadEvent('a malformed content_block_start');
          if (block.type === 'text') {
            blocks[event.index] = { kind: 'text' };
            if (typeof block.text === 'string' && block.text !== '')
              yield { type: 'text-delta', text: block.text };
          } else if (block.type === 'tool_use' && ctx.json && block.name === ctx.json.name) {
            blocks[event.index] = { kind: 'json', buffer: '' };
            jsonAnswered = true;
          } else if (
            block.type === 'tool_use' &&
            typeof block.id === 'string' &&
            typeof block.name === 'string'
          ) {
            const toolIndex = tools++;
            blocks[event.index] = { kind: 'tool', toolIndex, sent: false };
            yield {
              type: 'tool-call-delta',
              index: toolIndex,
              id: block.id,
              name: block.name,
              argumentsDelta: '',
            };
          } else blocks[event.index] = { kind: 'ignored' };
          break;
        }
        case 'content_block_delta': {
          const block = typeof event.index === 'number' ? blocks[event.index] : undefined;
          const delta = event.delta;
          if (!block || !isRecord(delta)) throw new BadEvent('a delta for no open content block');
          if (delta.type === 'text_delta') {
            if (typeof delta.text !== 'string') throw new BadEvent('a text_delta without text');
            if (block.kind === 'text' && delta.text !== '')
              yield { type: 'text-delta', text: delta.text };
          } else if (delta.type === 'input_json_delta') {
            if (typeof delta.partial_json !== 'string')
              throw new BadEvent('an input_json_delta without partial_json');
            if (delta.partial_json === '') break;
            if (block.kind === 'tool') {
              block.sent = true;
              yield {
                type: 'tool-call-delta',
                index: block.toolIndex,
                argumentsDelta: delta.partial_json,
              };
            } else if (block.kind === 'json') {
              if (ctx.json?.wrapped) block.buffer += delta.partial_json;
              else yield { type: 'text-delta', text: delta.partial_json };
            }
          }
          // thinking_delta, signature_delta and citations_delta have no normalized chunk.
          break;
        }
        case 'content_block_stop': {
          const block = typeof event.index === 'number' ? blocks[event.index] : undefined;
          if (block?.kind === 'tool' && !block.sent) {
            // A tool without parameters streams no input; its arguments are `{}`.
            yield { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: '{}' };
          } else if (block?.kind === 'json' && ctx.json?.wrapped) {
            let input: unknown;
            try {
              input = JSON.parse(block.buffer === '' ? '{}' : block.buffer);
            } catch {
              throw new BadEvent('the JSON output tool streamed input that is not JSON');
            }
            yield { type: 'text-delta', text: jsonAnswer(input, ctx.json) };
          }
          break;
        }
        case 'message_delta': {
          const delta = event.delta;
          if (isRecord(delta) && typeof delta.stop_reason === 'string')
            stopReason = delta.stop_reason;
          if (isRecord(event.usage)) {
            // Counts in message_delta are cumulative; null means "unchanged".
            for (const [key, value] of Object.entries(event.usage))
              if (value !== null) usage[key] = value;
          }
          break;
        }
        case 'message_stop':
          stopped = true;
          break;
        default:
          // ping, and event types newer than this adapter.
          break;
      }
    }
  } catch (error) {
    yield {
      type: 'error',
      error:
        error instanceof BadEvent
          ? new InvalidResponseError(`anthropic (${ctx.model}): ${error.message}`, {
              provider: 'anthropic',
              model: ctx.model,
            })
          : mapAnthropicError(error, { ...ctx, responseStarted: true }),
    };
    return;
  }
  if (!stopped) {
    // The SDK ends the iteration quietly when it is aborted; anything else is a cut stream.
    const error = ctx.signal?.aborted
      ? mapAnthropicError(ctx.signal.reason, ctx)
      : new NetworkError(`anthropic (${ctx.model}): the stream ended before message_stop`, {
          provider: 'anthropic',
          model: ctx.model,
          possiblyBilled: true,
        });
    yield { type: 'error', error };
    return;
  }
  const raw = usage as AnthropicUsageLike;
  const normalized = convertAnthropicUsage(raw);
  yield {
    type: 'finish',
    finishReason:
      jsonAnswered && stopReason === 'tool_use' ? 'stop' : mapAnthropicFinishReason(stopReason),
    ...(stopReason === undefined ? {} : { rawFinishReason: stopReason }),
    usage: normalized,
    costUsd: anthropicCost(ctx.pricing, normalized, raw),
    warnings: ctx.warnings,
    ...(id === undefined ? {} : { id }),
    ...(model === undefined ? {} : { model }),
  };
}
