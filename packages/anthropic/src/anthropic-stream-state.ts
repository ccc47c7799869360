import type { ChatChunk, FinishReason, Usage } from '@orchestrator/core';
import type { JsonOutputTool } from './build-anthropic-request.js';
import { jsonAnswer } from './convert-anthropic-response.js';
import type { AnthropicUsageLike } from './convert-anthropic-usage.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** What one content block of the stream turns into. */
type Block =
  | { readonly kind: 'text' }
  | { readonly kind: 'tool'; readonly toolIndex: number; sent: boolean }
  | { readonly kind: 'json'; buffer: string }
  | { readonly kind: 'ignored' };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event that breaks the protocol; the stream ends with an InvalidResponseError. */
export class MalformedEventError extends Error {}

/**
 * The state of one Anthropic stream. `handle` takes one parsed event and
 * returns the chunk it amounts to, if any (each event gives at most one):
 * text deltas, tool-call deltas, and the JSON-output tool's input as text.
 * Validates every event it reads.
 */
export class AnthropicStreamState {
  private readonly blocks: Block[] = [];
  private tools = 0;
  private usage: Record<string, unknown> = {};
  private stopReason: string | undefined;
  private jsonAnswered = false;
  id: string | undefined;
  model: string | undefined;
  /** True once `message_stop` arrived: only then may the stream finish. */
  stopped = false;

  constructor(private readonly json: JsonOutputTool | undefined) {}

  handle(event: unknown): ChatChunk | undefined {
    if (!isRecord(event) || typeof event.type !== 'string')
      throw new MalformedEventError('an event without a type');
    switch (event.type) {
      case 'content_block_delta':
        return this.delta(event);
      case 'content_block_start':
        return this.start(event);
      case 'content_block_stop':
        return this.stop(event);
      case 'message_start': {
        const message = event.message;
        if (!isRecord(message)) throw new MalformedEventError('message_start without a message');
        if (typeof message.id === 'string') this.id = message.id;
        if (typeof message.model === 'string') this.model = message.model;
        if (isRecord(message.usage)) this.usage = { ...message.usage };
        return undefined;
      }
      case 'message_delta': {
        const delta = event.delta;
        if (isRecord(delta) && typeof delta.stop_reason === 'string')
          this.stopReason = delta.stop_reason;
        if (isRecord(event.usage)) {
          // Counts in message_delta are cumulative; null means "unchanged".
          for (const [key, value] of Object.entries(event.usage))
            if (value !== null) this.usage[key] = value;
        }
        return undefined;
      }
      case 'message_stop':
        this.stopped = true;
        return undefined;
      default:
        // ping, and event types newer than this adapter.
        return undefined;
    }
  }

  private start(event: Record<string, unknown>): ChatChunk | undefined {
    const block = event.content_block;
    if (!isRecord(block) || typeof event.index !== 'number') {
      throw new MalformedEventError('a malformed content_block_start');
    }
    if (block.type === 'text') {
      this.blocks[event.index] = { kind: 'text' };
      return typeof block.text === 'string' && block.text !== ''
        ? { type: 'text-delta', text: block.text }
        : undefined;
    }
    if (block.type === 'tool_use' && this.json && block.name === this.json.name) {
      this.blocks[event.index] = { kind: 'json', buffer: '' };
      this.jsonAnswered = true;
      return undefined;
    }
    if (
      block.type === 'tool_use' &&
      typeof block.id === 'string' &&
      typeof block.name === 'string'
    ) {
      const toolIndex = this.tools++;
      this.blocks[event.index] = { kind: 'tool', toolIndex, sent: false };
      return {
        type: 'tool-call-delta',
        index: toolIndex,
        id: block.id,
        name: block.name,
        argumentsDelta: '',
      };
    }
    this.blocks[event.index] = { kind: 'ignored' };
    return undefined;
  }

  private delta(event: Record<string, unknown>): ChatChunk | undefined {
    const block = typeof event.index === 'number' ? this.blocks[event.index] : undefined;
    const delta = event.delta;
    if (!block || !isRecord(delta))
      throw new MalformedEventError('a delta for no open content block');
    if (delta.type === 'text_delta') {
      if (typeof delta.text !== 'string')
        throw new MalformedEventError('a text_delta without text');
      return block.kind === 'text' && delta.text !== ''
        ? { type: 'text-delta', text: delta.text }
        : undefined;
    }
    if (delta.type === 'input_json_delta') {
      const piece = delta.partial_json;
      if (typeof piece !== 'string')
        throw new MalformedEventError('an input_json_delta without partial_json');
      if (piece === '') return undefined;
      if (block.kind === 'tool') {
        block.sent = true;
        return { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: piece };
      }
      if (block.kind === 'json') {
        if (!this.json?.wrapped) return { type: 'text-delta', text: piece };
        block.buffer += piece;
      }
    }
    // thinking_delta, signature_delta and citations_delta have no normalized chunk.
    return undefined;
  }

  private stop(event: Record<string, unknown>): ChatChunk | undefined {
    const block = typeof event.index === 'number' ? this.blocks[event.index] : undefined;
    if (block?.kind === 'tool' && !block.sent) {
      // A tool without parameters streams no input; its arguments are `{}`.
      return { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: '{}' };
    }
    if (block?.kind === 'json' && this.json?.wrapped) {
      let input: unknown;
      try {
        input = JSON.parse(block.buffer === '' ? '{}' : block.buffer);
      } catch {
        throw new MalformedEventError('the JSON output tool streamed input that is not JSON');
      }
      return { type: 'text-delta', text: jsonAnswer(input, this.json) };
    }
    return undefined;
  }

  /** How the stream ended, once `stopped`. */
  outcome(): {
    finishReason: FinishReason;
    rawFinishReason: string | undefined;
    usage: Usage;
    raw: AnthropicUsageLike;
  } {
    const raw = this.usage as AnthropicUsageLike;
    return {
      finishReason:
        this.jsonAnswered && this.stopReason === 'tool_use'
          ? 'stop'
          : mapAnthropicFinishReason(this.stopReason),
      rawFinishReason: this.stopReason,
      usage: convertAnthropicUsage(raw),
      raw,
    };
  }
}
