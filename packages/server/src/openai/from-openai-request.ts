import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  ResponseFormat,
  ToolChoice,
} from '@orchestrator/core';
import { ApiError } from '../http/api-error.js';
import type { ChatCompletionBody } from './openai-schemas.js';

type Msg = ChatCompletionBody['messages'][number];

function text(content: string | readonly { text: string }[] | null | undefined): string {
  if (content == null) return '';
  return typeof content === 'string' ? content : content.map((p) => p.text).join('');
}

function imagePart(
  url: string,
  detail: 'auto' | 'low' | 'high' | undefined,
  index: number,
): ContentPart {
  const d = detail === undefined ? {} : { detail };
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: 'image', mediaType: data[1]!, data: data[2]!, ...d };
  if (!/^https?:\/\//i.test(url))
    throw new ApiError(400, 'invalid_request', 'Image URLs must be https URLs or data URLs.', {
      param: `messages[${index}].content`,
    });
  return { type: 'image', url, ...d };
}

function message(m: Msg, index: number): ChatMessage {
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: text(m.content) };
    case 'user': {
      const content =
        typeof m.content === 'string'
          ? m.content
          : m.content.map((p) =>
              p.type === 'text'
                ? { type: 'text' as const, text: p.text }
                : imagePart(p.image_url.url, p.image_url.detail, index),
            );
      return m.name === undefined
        ? { role: 'user', content }
        : { role: 'user', content, name: m.name };
    }
    case 'assistant':
      return {
        role: 'assistant',
        content: m.content == null ? null : text(m.content),
        ...(m.tool_calls?.length
          ? {
              toolCalls: m.tool_calls.map((c) => ({
                id: c.id,
                name: c.function.name,
                arguments: c.function.arguments,
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', toolCallId: m.tool_call_id, content: text(m.content) };
  }
}

function toolChoice(choice: ChatCompletionBody['tool_choice']): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  return { type: 'tool', name: choice.function.name };
}

function responseFormat(format: ChatCompletionBody['response_format']): ResponseFormat | undefined {
  if (format === undefined) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const s = format.json_schema;
  return {
    type: 'json_schema',
    schema: s.schema ?? {},
    name: s.name,
    ...(s.description === undefined ? {} : { description: s.description }),
    ...(s.strict == null ? {} : { strict: s.strict }),
  };
}

/** Maps an OpenAI chat completion body to the normalized request. */
export function fromOpenAIRequest(body: ChatCompletionBody): ChatRequest {
  if (body.n != null && body.n > 1)
    throw new ApiError(
      400,
      'unsupported_parameter',
      'n > 1 is not supported: send one request per choice.',
      { param: 'n' },
    );
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const stop =
    body.stop == null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const choice = toolChoice(body.tool_choice);
  const format = responseFormat(body.response_format);
  if (typeof choice === 'object' && !body.tools?.some((t) => t.function.name === choice.name))
    throw new ApiError(
      400,
      'invalid_request',
      `tool_choice names "${choice.name}", which is not in tools.`,
      { param: 'tool_choice' },
    );
  // Optional fields are set one by one: conditional spreads take V8's slow object-literal
  // path on Node 20 (about a microsecond each), on every request.
  const out: { -readonly [K in keyof ChatRequest]: ChatRequest[K] } = {
    messages: body.messages.map(message),
  };
  if (body.tools?.length) {
    out.tools = body.tools.map((t) => ({
      name: t.function.name,
      parameters: t.function.parameters ?? { type: 'object', properties: {} },
      ...(t.function.description === undefined ? {} : { description: t.function.description }),
      ...(t.function.strict == null ? {} : { strict: t.function.strict }),
    }));
  }
  if (choice !== undefined) out.toolChoice = choice;
  if (format !== undefined) out.responseFormat = format;
  if (body.temperature != null) out.temperature = body.temperature;
  if (body.top_p != null) out.topP = body.top_p;
  if (maxTokens != null) out.maxTokens = maxTokens;
  if (stop !== undefined) out.stop = stop;
  if (body.seed != null) out.seed = body.seed;
  if (body.presence_penalty != null) out.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) out.frequencyPenalty = body.frequency_penalty;
  if (body.metadata !== undefined) out.metadata = body.metadata;
  return out;
}
