import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, ContentPart, Warning } from '@orchestrator/core';

export interface AnthropicPrompt {
  /** `request.system` and every system message, in order, joined by blank lines. */
  readonly system: string | undefined;
  readonly messages: MessageParam[];
}

type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function convertImage(
  part: Extract<ContentPart, { type: 'image' }>,
  warnings: Warning[],
): ImageBlockParam {
  let data = part.data;
  let mediaType = part.mediaType;
  const fromUrl = part.url === undefined ? null : DATA_URL.exec(part.url);
  if (fromUrl) {
    mediaType = fromUrl[1];
    data = fromUrl[2];
  }
  if (data === undefined && part.url !== undefined) {
    return { type: 'image', source: { type: 'url', url: part.url } };
  }
  if (mediaType === undefined || !IMAGE_TYPES.includes(mediaType)) {
    warnings.push({
      type: 'other',
      message: `Anthropic takes JPEG, PNG, GIF and WebP images; an image of type ${mediaType ?? 'unknown'} was sent as image/png.`,
    });
    mediaType = 'image/png';
  }
  return {
    type: 'image',
    source: { type: 'base64', media_type: mediaType as ImageMediaType, data: data ?? '' },
  };
}

function parseArguments(text: string, warnings: Warning[]): unknown {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  warnings.push({
    type: 'other',
    message:
      'A tool call in the history had arguments that are not a JSON object; they were sent as {}.',
  });
  return {};
}

/**
 * Maps the normalized conversation to Anthropic's: system prompt apart,
 * tool results as `tool_result` blocks in a user turn, assistant tool calls as
 * `tool_use` blocks, and consecutive turns of one role merged into one, as
 * the Messages API requires alternating roles.
 */
export function convertToAnthropicMessages(
  request: ChatRequest,
  warnings: Warning[],
): AnthropicPrompt {
  const system: string[] = request.system ? [request.system] : [];
  const messages: MessageParam[] = [];
  let warnedDetail = false;
  let warnedName = false;

  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };

  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        if (message.content) system.push(message.content);
        break;
      case 'user': {
        if (message.name !== undefined && !warnedName) {
          warnedName = true;
          warnings.push({
            type: 'unsupported-setting',
            setting: 'messages.name',
            details: 'Anthropic has no per-message name.',
          });
        }
        if (typeof message.content === 'string') {
          push('user', [{ type: 'text', text: message.content }]);
          break;
        }
        const blocks: ContentBlockParam[] = [];
        for (const part of message.content) {
          if (part.type === 'text') blocks.push({ type: 'text', text: part.text });
          else {
            if (part.detail !== undefined && part.detail !== 'auto' && !warnedDetail) {
              warnedDetail = true;
              warnings.push({
                type: 'unsupported-setting',
                setting: 'image.detail',
                details: 'Anthropic has no image detail level.',
              });
            }
            blocks.push(convertImage(part, warnings));
          }
        }
        push('user', blocks);
        break;
      }
      case 'assistant': {
        const blocks: ContentBlockParam[] = [];
        if (message.content) blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls ?? []) {
          blocks.push({
            type: 'tool_use',
            id: call.id,
            name: call.name,
            input: parseArguments(call.arguments, warnings),
          });
        }
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [
          { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content },
        ]);
        break;
    }
  }
  // Tool results must open the user turn that answers the tool calls.
  for (const m of messages) {
    if (
      m.role === 'user' &&
      Array.isArray(m.content) &&
      m.content.some((b) => b.type === 'tool_result')
    ) {
      m.content = [
        ...m.content.filter((b) => b.type === 'tool_result'),
        ...m.content.filter((b) => b.type !== 'tool_result'),
      ];
    }
  }
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages };
}
