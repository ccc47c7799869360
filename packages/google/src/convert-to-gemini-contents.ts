import type { Content, Part } from '@google/genai';
import {
  type ChatMessage,
  type ContentPart,
  type ImagePart,
  InvalidRequestError,
  type ToolCall,
  type Warning,
} from '@orchestrator/core';
import { isSyntheticToolCallId } from './tool-call-ids.js';

/**
 * The documented placeholder for a function call whose real thought
 * signature is not at hand (history from another model or another gateway
 * instance); Gemini 3 rejects a function call in history without one.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface ContentsContext {
  readonly model: string;
  /** Whether the model needs thought signatures on function calls in history (Gemini 3). */
  readonly needsSignatures: boolean;
  /** Thought signatures seen on this model's own function calls, by tool-call id. */
  readonly signatureOf: (toolCallId: string) => string | undefined;
  readonly warnings: Warning[];
}

/**
 * Maps the conversation to Gemini `contents`: system messages are returned
 * apart (they become `systemInstruction`), assistant turns take the role
 * `model`, tool calls become `functionCall` parts and tool results
 * `functionResponse` parts (consecutive results share one turn, as parallel
 * calls require).
 */
export function convertToGeminiContents(
  messages: readonly ChatMessage[],
  ctx: ContentsContext,
): { contents: Content[]; system: string[] } {
  const contents: Content[] = [];
  const system: string[] = [];
  const callNames = new Map<string, string>();
  let warnedName = false;
  let pendingResults: Part[] | undefined;

  for (const message of messages) {
    if (message.role !== 'tool') pendingResults = undefined;
    switch (message.role) {
      case 'system':
        if (message.content) system.push(message.content);
        break;
      case 'user': {
        if (message.name !== undefined && !warnedName) {
          warnedName = true;
          ctx.warnings.push({
            type: 'unsupported-setting',
            setting: 'messages.name',
            details: 'Gemini has no per-message author name.',
          });
        }
        const parts = userParts(message.content, ctx);
        if (parts.length > 0) contents.push({ role: 'user', parts });
        break;
      }
      case 'assistant': {
        const parts: Part[] = [];
        if (message.content) parts.push({ text: message.content });
        const calls = message.toolCalls ?? [];
        for (const call of calls) {
          callNames.set(call.id, call.name);
          parts.push(functionCallPart(call, ctx));
        }
        if (ctx.needsSignatures && calls.length > 0 && !parts.some((p) => p.thoughtSignature)) {
          const first = parts.find((p) => p.functionCall);
          if (first) first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
        }
        if (parts.length > 0) contents.push({ role: 'model', parts });
        break;
      }
      case 'tool': {
        const name = message.name ?? callNames.get(message.toolCallId);
        if (!name) {
          throw new InvalidRequestError(
            `google (${ctx.model}): the tool result for call "${message.toolCallId}" has no name and answers no earlier tool call; Gemini needs the function name (set ToolMessage.name).`,
            { provider: 'google', model: ctx.model },
          );
        }
        const part: Part = {
          functionResponse: {
            ...(isSyntheticToolCallId(message.toolCallId) ? {} : { id: message.toolCallId }),
            name,
            response: toFunctionResponse(message.content),
          },
        };
        if (pendingResults) pendingResults.push(part);
        else {
          pendingResults = [part];
          contents.push({ role: 'user', parts: pendingResults });
        }
        break;
      }
    }
  }
  return { contents, system };
}

function functionCallPart(call: ToolCall, ctx: ContentsContext): Part {
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    args = isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    args = {};
    ctx.warnings.push({
      type: 'other',
      message: `The arguments of tool call "${call.id}" are not valid JSON; they were sent as {}.`,
    });
  }
  const signature = ctx.signatureOf(call.id);
  return {
    functionCall: {
      ...(isSyntheticToolCallId(call.id) ? {} : { id: call.id }),
      name: call.name,
      args,
    },
    ...(signature === undefined ? {} : { thoughtSignature: signature }),
  };
}

/** Gemini wants an object: a JSON object is sent as is, anything else under `output`. */
function toFunctionResponse(content: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(content);
    return isRecord(parsed) ? parsed : { output: parsed };
  } catch {
    return { output: content };
  }
}

function userParts(content: string | readonly ContentPart[], ctx: ContentsContext): Part[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  const parts: Part[] = [];
  let warnedDetail = false;
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text) parts.push({ text: part.text });
      continue;
    }
    if (part.detail !== undefined && part.detail !== 'auto' && !warnedDetail) {
      warnedDetail = true;
      ctx.warnings.push({
        type: 'unsupported-setting',
        setting: 'image.detail',
        details:
          'Gemini sets image resolution per request (providerOptions.google.mediaResolution).',
      });
    }
    parts.push(imagePart(part, ctx.model));
  }
  return parts;
}

function imagePart(image: ImagePart, model: string): Part {
  if (image.data) {
    return {
      inlineData: { mimeType: image.mediaType ?? sniffImageType(image.data), data: image.data },
    };
  }
  const url = image.url ?? '';
  const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (dataUrl) {
    const data = dataUrl[2]!;
    return {
      inlineData: { mimeType: image.mediaType ?? dataUrl[1] ?? sniffImageType(data), data },
    };
  }
  if (/^(https?|gs):\/\//i.test(url)) {
    const mimeType = image.mediaType ?? mimeFromExtension(url);
    return { fileData: { fileUri: url, ...(mimeType === undefined ? {} : { mimeType }) } };
  }
  throw new InvalidRequestError(
    `google (${model}): an image needs base64 \`data\`, a data: URL, or an http(s)/gs:// URL.`,
    { provider: 'google', model },
  );
}

function sniffImageType(base64: string): string {
  if (base64.startsWith('iVBOR')) return 'image/png';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  if (base64.startsWith('UklGR')) return 'image/webp';
  return 'image/jpeg';
}

function mimeFromExtension(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    heic: 'image/heic',
    heif: 'image/heif',
    pdf: 'application/pdf',
  };
  return ext === undefined ? undefined : types[ext];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
