import {
  type ChatResponse,
  InvalidResponseError,
  type ModelPricing,
  type ToolCall,
  type Warning,
} from '@orchestrator/core';
import type { JsonOutputTool } from './build-anthropic-request.js';
import {
  type AnthropicUsageLike,
  anthropicCost,
  convertAnthropicUsage,
} from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

export interface ResponseContext {
  readonly model: string;
  readonly pricing: ModelPricing;
  readonly json: JsonOutputTool | undefined;
  readonly warnings: readonly Warning[];
  readonly latencyMs: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The answer of the JSON output tool, as JSON text. */
export function jsonAnswer(input: unknown, json: JsonOutputTool): string {
  return JSON.stringify(json.wrapped && isRecord(input) ? input.value : input) ?? 'null';
}

/** Maps a Messages API `Message` to the normalized response, validating its shape. */
export function convertAnthropicResponse(message: unknown, ctx: ResponseContext): ChatResponse {
  if (!isRecord(message) || !Array.isArray(message.content) || !isRecord(message.usage)) {
    throw new InvalidResponseError(`anthropic (${ctx.model}): the response is not a Message`, {
      provider: 'anthropic',
      model: ctx.model,
    });
  }
  let text = '';
  let jsonText: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (
      block.type === 'tool_use' &&
      typeof block.id === 'string' &&
      typeof block.name === 'string'
    ) {
      if (ctx.json && block.name === ctx.json.name) jsonText = jsonAnswer(block.input, ctx.json);
      else
        toolCalls.push({
          id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input ?? {}),
        });
    }
    // thinking / redacted_thinking / server tool blocks have no normalized place.
  }
  const raw = message.usage as AnthropicUsageLike;
  const usage = convertAnthropicUsage(raw);
  const stopReason = typeof message.stop_reason === 'string' ? message.stop_reason : undefined;
  const finishReason =
    jsonText !== undefined && stopReason === 'tool_use'
      ? 'stop'
      : mapAnthropicFinishReason(stopReason);
  // Optional fields are assigned, not spread in: spreading conditional objects costs µs per call.
  const response: { -readonly [K in keyof ChatResponse]: ChatResponse[K] } = {
    model: typeof message.model === 'string' ? message.model : ctx.model,
    provider: 'anthropic',
    content: jsonText ?? text,
    toolCalls,
    finishReason,
    usage,
    costUsd: anthropicCost(ctx.pricing, usage, raw),
    latencyMs: ctx.latencyMs,
    warnings: ctx.warnings,
  };
  if (typeof message.id === 'string') response.id = message.id;
  if (stopReason !== undefined) response.rawFinishReason = stopReason;
  return response;
}
