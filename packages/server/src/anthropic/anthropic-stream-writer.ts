import type { ChatChunk } from '@orchestrator/core';
import { anthropicStopReason } from './from-anthropic-request.js';

type Event = [event: string, data: Record<string, unknown>];
type OpenBlock = { kind: 'text' } | { kind: 'tool'; index: number };

/**
 * Turns engine chunks into Anthropic's exact event sequence: message_start,
 * then per content block content_block_start / ping (after the first) /
 * content_block_delta… / content_block_stop, then message_delta with the
 * stop reason and usage, then message_stop.
 */
export class AnthropicStreamWriter {
  #open: OpenBlock | undefined;
  #blocks = 0;
  #pinged = false;
  readonly #id: string;
  readonly #model: string;
  readonly #inputTokens: number;

  constructor(id: string, model: string, estimatedInputTokens: number) {
    this.#id = id;
    this.#model = model;
    this.#inputTokens = estimatedInputTokens;
  }

  start(): Event[] {
    return [
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: this.#id,
            type: 'message',
            role: 'assistant',
            model: this.#model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: this.#inputTokens, output_tokens: 1 },
          },
        },
      ],
    ];
  }

  #openBlock(block: Record<string, unknown>, open: OpenBlock): Event[] {
    const out: Event[] = [...this.#close()];
    out.push([
      'content_block_start',
      { type: 'content_block_start', index: this.#blocks, content_block: block },
    ]);
    if (!this.#pinged) {
      this.#pinged = true;
      out.push(['ping', { type: 'ping' }]);
    }
    this.#open = open;
    return out;
  }

  #close(): Event[] {
    if (this.#open === undefined) return [];
    this.#open = undefined;
    return [['content_block_stop', { type: 'content_block_stop', index: this.#blocks++ }]];
  }

  map(chunk: ChatChunk): Event[] {
    const out: Event[] = [];
    switch (chunk.type) {
      case 'text-delta':
        if (this.#open?.kind !== 'text')
          out.push(...this.#openBlock({ type: 'text', text: '' }, { kind: 'text' }));
        out.push([
          'content_block_delta',
          {
            type: 'content_block_delta',
            index: this.#blocks,
            delta: { type: 'text_delta', text: chunk.text },
          },
        ]);
        break;
      case 'tool-call-delta':
        if (this.#open?.kind !== 'tool' || this.#open.index !== chunk.index)
          out.push(
            ...this.#openBlock(
              {
                type: 'tool_use',
                id: chunk.id || `toolu_${this.#id}_${chunk.index}`,
                name: chunk.name ?? '',
                input: {},
              },
              { kind: 'tool', index: chunk.index },
            ),
          );
        if (chunk.argumentsDelta)
          out.push([
            'content_block_delta',
            {
              type: 'content_block_delta',
              index: this.#blocks,
              delta: { type: 'input_json_delta', partial_json: chunk.argumentsDelta },
            },
          ]);
        break;
      case 'finish':
        if (this.#blocks === 0 && this.#open === undefined)
          out.push(...this.#openBlock({ type: 'text', text: '' }, { kind: 'text' }));
        out.push(...this.#close());
        out.push([
          'message_delta',
          {
            type: 'message_delta',
            delta: { stop_reason: anthropicStopReason(chunk.finishReason), stop_sequence: null },
            usage: { output_tokens: chunk.usage.outputTokens ?? 0 },
          },
        ]);
        out.push(['message_stop', { type: 'message_stop' }]);
        break;
      case 'error':
        break;
    }
    return out;
  }
}
