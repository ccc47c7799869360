import type { ChatChunk, Usage } from '@orchestrator/core';
import { argumentsText, mapUsage } from './map-huggingface-response.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns the SDK's stream events into ChatChunks and keeps what the final
 * `finish` chunk needs. Reads chat-completion chunks (`choices[].delta`),
 * OpenAI-style completion chunks (`choices[].text`) and TGI's native
 * `generate_stream` events (`token`, `details`).
 */
export class HuggingFaceStreamState {
  rawFinishReason: string | undefined;
  usage: Usage | undefined;
  id: string | undefined;
  model: string | undefined;
  /** Characters of text and tool arguments streamed, for a usage estimate when none is reported. */
  outputChars = 0;
  private readonly toolIds = new Map<number, string>();

  /** The chunks one event yields; `undefined` when the event is not an object (malformed). */
  push(event: unknown): ChatChunk[] | undefined {
    if (!isObject(event)) return undefined;
    const out: ChatChunk[] = [];
    if (typeof event.id === 'string' && event.id !== '') this.id = event.id;
    if (typeof event.model === 'string' && event.model !== '') this.model = event.model;
    const usage = mapUsage(event.usage);
    if (usage) this.usage = usage;

    const choice = Array.isArray(event.choices) ? event.choices[0] : undefined;
    if (isObject(choice)) {
      if (typeof choice.finish_reason === 'string') this.rawFinishReason = choice.finish_reason;
      const delta = choice.delta;
      if (isObject(delta)) {
        this.text(delta.content, out);
        const calls = Array.isArray(delta.tool_calls)
          ? delta.tool_calls
          : isObject(delta.tool_calls)
            ? [delta.tool_calls]
            : [];
        for (const call of calls) this.toolCall(call, out);
      } else {
        this.text(choice.text, out);
      }
    } else if (isObject(event.token)) {
      // TGI generate_stream: special tokens (end of sequence) carry no text.
      if (event.token.special !== true) this.text(event.token.text, out);
      if (isObject(event.details)) {
        const d = event.details;
        if (typeof d.finish_reason === 'string') this.rawFinishReason = d.finish_reason;
        const output = typeof d.generated_tokens === 'number' ? d.generated_tokens : undefined;
        const input = typeof d.input_length === 'number' ? d.input_length : undefined;
        if (output !== undefined) {
          this.usage = {
            ...(input === undefined ? {} : { inputTokens: input }),
            outputTokens: output,
            totalTokens: (input ?? 0) + output,
            raw: d,
          };
        }
      }
    }
    return out;
  }

  private text(value: unknown, out: ChatChunk[]): void {
    if (typeof value === 'string' && value !== '') {
      this.outputChars += value.length;
      out.push({ type: 'text-delta', text: value });
    }
  }

  private toolCall(raw: unknown, out: ChatChunk[]): void {
    if (!isObject(raw)) return;
    const index = typeof raw.index === 'number' ? raw.index : 0;
    const fn = isObject(raw.function) ? raw.function : {};
    const args = argumentsText(fn.arguments);
    const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : undefined;
    let id: string | undefined;
    if (!this.toolIds.has(index)) {
      // The first delta of a call names it; TGI leaves ids empty, so make one.
      id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : `call_${index}`;
      this.toolIds.set(index, id);
    }
    if (id === undefined && name === undefined && args === '') return;
    this.outputChars += args.length + (name?.length ?? 0);
    out.push({
      type: 'tool-call-delta',
      index,
      ...(id === undefined ? {} : { id }),
      ...(name === undefined ? {} : { name }),
      argumentsDelta: args,
    });
  }
}
