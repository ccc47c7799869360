import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  FinishReason,
  OrchestratorResponse,
} from '@orchestrator/core';
import type { MessagesBody } from './anthropic-schemas.js';

type Block = Exclude<MessagesBody['messages'][number]['content'], string>[number];

function blockText(content: string | readonly { text: string }[] | undefined): string {
  if (content === undefined) return '';
  return typeof content === 'string' ? content : content.map((b) => b.text).join('');
}

function toMessages(role: 'user' | 'assistant', content: string | readonly Block[]): ChatMessage[] {
  if (typeof content === 'string') return [{ role, content }];
  if (role === 'assistant') {
    const text = content
      .filter((b) => b.type === 'text')
      .map((b) => b.text)
      .join('');
    const calls = content
      .filter((b) => b.type === 'tool_use')
      .map((b) => ({ id: b.id, name: b.name, arguments: JSON.stringify(b.input) }));
    return [
      {
        role: 'assistant',
        content: text || (calls.length ? null : ''),
        ...(calls.length ? { toolCalls: calls } : {}),
      },
    ];
  }
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const b of content) {
    if (b.type === 'tool_result')
      out.push({
        role: 'tool',
        toolCallId: b.tool_use_id,
        content: `${b.is_error ? 'Error: ' : ''}${blockText(b.content)}`,
      });
    else if (b.type === 'text') parts.push({ type: 'text', text: b.text });
    else if (b.type === 'image')
      parts.push(
        b.source.type === 'base64'
          ? { type: 'image', data: b.source.data, mediaType: b.source.media_type }
          : { type: 'image', url: b.source.url },
      );
  }
  if (parts.length)
    out.push({
      role: 'user',
      content: parts.every((p) => p.type === 'text')
        ? parts.map((p) => (p as { text: string }).text).join('')
        : parts,
    });
  return out;
}

/** Maps an Anthropic Messages body to the normalized request. */
export function fromAnthropicRequest(body: MessagesBody): ChatRequest {
  const system = body.system === undefined ? undefined : blockText(body.system);
  const choice = body.tool_choice;
  return {
    messages: body.messages.flatMap((m) => toMessages(m.role, m.content)),
    maxTokens: body.max_tokens,
    ...(system ? { system } : {}),
    ...(body.tools?.length
      ? {
          tools: body.tools.map((t) => ({
            name: t.name,
            parameters: t.input_schema,
            ...(t.description === undefined ? {} : { description: t.description }),
          })),
        }
      : {}),
    ...(choice === undefined
      ? {}
      : {
          toolChoice:
            choice.type === 'tool'
              ? { type: 'tool' as const, name: choice.name }
              : choice.type === 'any'
                ? ('required' as const)
                : choice.type,
        }),
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.top_p === undefined ? {} : { topP: body.top_p }),
    ...(body.top_k === undefined ? {} : { topK: body.top_k }),
    ...(body.stop_sequences?.length ? { stop: body.stop_sequences } : {}),
  };
}

export function anthropicStopReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export function parseArguments(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : { value: v };
  } catch {
    return { _raw: text };
  }
}

export function toAnthropicResponse(r: OrchestratorResponse, id: string): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (r.content) content.push({ type: 'text', text: r.content });
  for (const c of r.toolCalls)
    content.push({ type: 'tool_use', id: c.id, name: c.name, input: parseArguments(c.arguments) });
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: r.modelUsed,
    content,
    stop_reason: anthropicStopReason(r.finishReason),
    stop_sequence: null,
    usage: {
      input_tokens: r.usage.inputTokens ?? 0,
      output_tokens: r.usage.outputTokens ?? 0,
      cache_read_input_tokens: r.usage.cachedInputTokens ?? 0,
      cache_creation_input_tokens: 0,
    },
  };
}
