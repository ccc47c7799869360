import type { ChatMessage, ChatRequest, ContentPart, Warning } from '@orchestrator/core';
import { InvalidRequestError } from '@orchestrator/core';
import { PROVIDER } from './huggingface-error.js';

/** Which request features the model is known to lack; unknown models are given the benefit of the doubt. */
export interface FeatureGate {
  readonly vision: boolean;
  readonly tools: boolean;
  readonly json: boolean;
}

/** `providerOptions.huggingface`: what this adapter accepts, validated. */
export interface HuggingFaceProviderOptions {
  /** Return log probabilities of the output tokens. */
  readonly logprobs?: boolean;
  /** How many top alternatives per token (with `logprobs`). */
  readonly topLogprobs?: number;
  /** TGI: the text inserted before the tool definitions in the prompt. */
  readonly toolPrompt?: string;
  /** Reasoning effort, for providers and models that take it. */
  readonly reasoningEffort?: string;
  /** Bill an organization instead of the token's user (`X-HF-Bill-To`). */
  readonly billTo?: string;
  /** Extra body fields passed through as is (`top_k`, `repetition_penalty`, …). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
}

export type ChatBody = Record<string, unknown> & { messages: Record<string, unknown>[] };

const OPTION_TYPES: Readonly<Record<keyof HuggingFaceProviderOptions, (v: unknown) => boolean>> = {
  logprobs: (v) => typeof v === 'boolean',
  topLogprobs: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 20,
  toolPrompt: (v) => typeof v === 'string',
  reasoningEffort: (v) => typeof v === 'string',
  billTo: (v) => typeof v === 'string' && v.length > 0,
  extraBody: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/** Validates `providerOptions.huggingface`: wrong types fail clearly, unknown keys become warnings. */
export function readProviderOptions(
  request: { readonly providerOptions?: ChatRequest['providerOptions'] },
  model: string,
  warnings: Warning[],
): HuggingFaceProviderOptions {
  const raw = request.providerOptions?.[PROVIDER];
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null) {
    throw new InvalidRequestError(
      `${PROVIDER} (${model}): providerOptions.${PROVIDER} must be an object`,
      {
        provider: PROVIDER,
        model,
      },
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const check = OPTION_TYPES[key as keyof HuggingFaceProviderOptions];
    if (!Object.hasOwn(OPTION_TYPES, key) || !check) {
      warnings.push({ type: 'unsupported-setting', setting: `providerOptions.${PROVIDER}.${key}` });
      continue;
    }
    if (value === undefined) continue;
    if (!check(value)) {
      throw new InvalidRequestError(
        `${PROVIDER} (${model}): providerOptions.${PROVIDER}.${key} has an invalid value`,
        { provider: PROVIDER, model },
      );
    }
    out[key] = value;
  }
  return out as HuggingFaceProviderOptions;
}

function imageUrl(part: Extract<ContentPart, { type: 'image' }>): string | undefined {
  if (part.url) return part.url;
  if (part.data) return `data:${part.mediaType ?? 'image/png'};base64,${part.data}`;
  return undefined;
}

function mapContent(
  content: string | readonly ContentPart[],
  gate: FeatureGate,
  warn: (setting: string, details: string) => void,
): string | Record<string, unknown>[] {
  if (typeof content === 'string') return content;
  const parts: Record<string, unknown>[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      parts.push({ type: 'text', text: part.text });
      continue;
    }
    const url = imageUrl(part);
    if (!gate.vision) warn('image', 'this model does not take images; image parts were left out');
    else if (!url) warn('image', 'an image part had neither url nor data and was left out');
    else parts.push({ type: 'image_url', image_url: { url } });
  }
  // A text-only message is sent as a plain string, which every chat template accepts.
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => p.text as string).join('');
  return parts;
}

function mapMessage(
  m: Exclude<ChatMessage, { role: 'system' }>,
  gate: FeatureGate,
  warn: (setting: string, details: string) => void,
): Record<string, unknown> {
  switch (m.role) {
    case 'user':
      return {
        role: 'user',
        content: mapContent(m.content, gate, warn),
        ...(m.name ? { name: m.name } : {}),
      };
    case 'assistant': {
      const calls = m.toolCalls?.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      }));
      if (calls && calls.length > 0) {
        return {
          role: 'assistant',
          ...(m.content ? { content: m.content } : {}),
          tool_calls: calls,
        };
      }
      return { role: 'assistant', content: m.content ?? '' };
    }
    case 'tool':
      return {
        role: 'tool',
        tool_call_id: m.toolCallId,
        content: m.content,
        ...(m.name ? { name: m.name } : {}),
      };
  }
}

/** Maps a normalized chat request to the chat-completion body the SDK sends. */
export function mapChatRequest(
  request: ChatRequest,
  gate: FeatureGate,
  options: HuggingFaceProviderOptions,
  warnings: Warning[],
): ChatBody {
  const warned = new Set<string>();
  const warn = (setting: string, details: string) => {
    if (warned.has(setting)) return;
    warned.add(setting);
    warnings.push({ type: 'unsupported-setting', setting, details });
  };
  // Chat templates want one system message, first.
  const system = [
    request.system,
    ...request.messages.filter((m) => m.role === 'system').map((m) => m.content),
  ]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join('\n\n');
  const messages: Record<string, unknown>[] = system ? [{ role: 'system', content: system }] : [];
  for (const m of request.messages) {
    if (m.role !== 'system') messages.push(mapMessage(m, gate, warn));
  }

  const body: ChatBody = { messages };
  if (request.tools && request.tools.length > 0) {
    if (!gate.tools) warn('tools', 'this model does not support tool calling; tools were left out');
    else {
      body.tools = request.tools.map((t) => ({
        type: 'function',
        function: {
          name: t.name,
          ...(t.description === undefined ? {} : { description: t.description }),
          parameters: t.parameters,
          ...(t.strict === undefined ? {} : { strict: t.strict }),
        },
      }));
      const choice = request.toolChoice;
      if (choice !== undefined) {
        body.tool_choice =
          typeof choice === 'string'
            ? choice
            : { type: 'function', function: { name: choice.name } };
      }
    }
  }
  const format = request.responseFormat;
  if (format && format.type !== 'text') {
    if (!gate.json) warn('responseFormat', 'this model does not support JSON output');
    else if (format.type === 'json') body.response_format = { type: 'json_object' };
    else {
      body.response_format = {
        type: 'json_schema',
        json_schema: {
          name: format.name ?? 'response',
          schema: format.schema,
          ...(format.description === undefined ? {} : { description: format.description }),
          ...(format.strict === undefined ? {} : { strict: format.strict }),
        },
      };
    }
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop && request.stop.length > 0) body.stop = [...request.stop];
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.topK !== undefined) {
    warn(
      'topK',
      'the chat-completion API has no top_k; pass providerOptions.huggingface.extraBody.top_k if the provider takes it',
    );
  }
  if (options.logprobs !== undefined) body.logprobs = options.logprobs;
  if (options.topLogprobs !== undefined) body.top_logprobs = options.topLogprobs;
  if (options.toolPrompt !== undefined) body.tool_prompt = options.toolPrompt;
  if (options.reasoningEffort !== undefined) body.reasoning_effort = options.reasoningEffort;
  if (options.extraBody) {
    for (const [k, v] of Object.entries(options.extraBody)) {
      if (k !== '__proto__' && k !== 'constructor' && k !== 'messages') body[k] = v;
    }
  }
  return body;
}
