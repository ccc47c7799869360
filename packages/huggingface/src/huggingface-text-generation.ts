import type { ChatRequest, Warning } from '@orchestrator/core';
import type { HuggingFaceProviderOptions } from './map-huggingface-request.js';
import { mapUsage, type ParsedReply } from './map-huggingface-response.js';

function textOf(content: ChatRequest['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  return content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/**
 * A plain prompt for a model without a chat template: a lone user message is
 * sent as is; a conversation becomes a transcript ending in `Assistant:`.
 */
export function buildPrompt(request: ChatRequest): string {
  const turns = request.messages.filter((m) => m.role !== 'system');
  const system = [
    request.system,
    ...request.messages.filter((m) => m.role === 'system').map((m) => m.content),
  ]
    .filter(Boolean)
    .join('\n\n');
  const only = turns[0];
  if (!system && turns.length === 1 && only?.role === 'user') return textOf(only.content);
  const lines: string[] = system ? [system, ''] : [];
  for (const m of turns) {
    if (m.role === 'user') lines.push(`User: ${textOf(m.content)}`);
    else if (m.role === 'assistant') lines.push(`Assistant: ${textOf(m.content)}`);
    else lines.push(`Tool${m.name ? ` (${m.name})` : ''}: ${m.content}`);
  }
  lines.push('Assistant:');
  return lines.join('\n');
}

/** The text-generation arguments (`inputs`, `parameters`) for a chat request, with warnings for what does not fit. */
export function mapTextGenerationRequest(
  request: ChatRequest,
  options: HuggingFaceProviderOptions,
  warnings: Warning[],
): { inputs: string; parameters: Record<string, unknown> } {
  const warn = (setting: string, details: string) =>
    warnings.push({ type: 'unsupported-setting', setting, details });
  if (request.tools && request.tools.length > 0)
    warn('tools', 'text-generation models do not call tools');
  if (request.responseFormat && request.responseFormat.type !== 'text') {
    warn('responseFormat', 'text-generation mode has no JSON output');
  }
  if (request.presencePenalty !== undefined)
    warn('presencePenalty', 'text generation has no presence penalty');
  if (
    request.messages.some(
      (m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image'),
    )
  ) {
    warn('image', 'text-generation models do not take images; image parts were left out');
  }
  const parameters: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) parameters.max_new_tokens = request.maxTokens;
  if (request.temperature !== undefined) parameters.temperature = request.temperature;
  if (request.topP !== undefined) parameters.top_p = request.topP;
  if (request.topK !== undefined) parameters.top_k = request.topK;
  if (request.stop && request.stop.length > 0) parameters.stop = [...request.stop];
  if (request.seed !== undefined) parameters.seed = request.seed;
  if (request.frequencyPenalty !== undefined)
    parameters.frequency_penalty = request.frequencyPenalty;
  if (options.extraBody) {
    for (const [k, v] of Object.entries(options.extraBody)) {
      if (k !== '__proto__' && k !== 'constructor') parameters[k] = v;
    }
  }
  return { inputs: buildPrompt(request), parameters };
}

/**
 * Reads a text-generation reply in either shape a server answers with:
 * OpenAI-style completions (`choices[0].text`, what TGI's `/v1/completions`
 * and hf-inference send) or TGI's native `[{generated_text, details}]`.
 */
export function readCompletion(raw: unknown): ParsedReply | undefined {
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first !== 'object' || first === null) return undefined;
  const r = first as Record<string, unknown>;
  const choice = Array.isArray(r.choices)
    ? (r.choices[0] as Record<string, unknown> | undefined)
    : undefined;
  if (choice && typeof choice.text === 'string') {
    const usage = mapUsage(r.usage);
    return {
      content: choice.text,
      toolCalls: [],
      ...(typeof choice.finish_reason === 'string'
        ? { rawFinishReason: choice.finish_reason }
        : {}),
      ...(usage ? { usage } : {}),
    };
  }
  if (typeof r.generated_text === 'string') {
    const d = r.details as Record<string, unknown> | undefined;
    const output = typeof d?.generated_tokens === 'number' ? d.generated_tokens : undefined;
    return {
      content: r.generated_text,
      toolCalls: [],
      ...(typeof d?.finish_reason === 'string' ? { rawFinishReason: d.finish_reason } : {}),
      ...(output === undefined ? {} : { usage: { outputTokens: output, raw: d } }),
    };
  }
  return undefined;
}
