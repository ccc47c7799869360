import {
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  InvalidRequestError,
  type Warning,
} from '@orchestrator/core';
import type { Message, ChatRequest as OllamaChatRequest, Options, Tool } from 'ollama';
import { parseOllamaProviderOptions } from './ollama-provider-options.js';

/** Defaults the model applies to every call. */
export interface RequestDefaults {
  readonly numCtx?: number | undefined;
  readonly keepAlive?: string | number | undefined;
}

export interface MappedChatRequest {
  readonly body: OllamaChatRequest;
  readonly warnings: Warning[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(`ollama: ${message}`, { provider: 'ollama' });
}

/**
 * An image as bytes. Ollama takes only inline base64; passing bytes (not a
 * string) also keeps the SDK from treating the string as a file path to read.
 */
function imageBytes(
  part: Extract<ContentPart, { type: 'image' }>,
  where: string,
  warnings: Warning[],
): Uint8Array | undefined {
  let data = part.data;
  if (data === undefined && part.url !== undefined) {
    const m = DATA_URL.exec(part.url);
    if (!m) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `${where}.url`,
        details: 'Ollama takes images only inline (base64 or a data: URL); the image was left out.',
      });
      return undefined;
    }
    data = m[2]!;
  }
  if (data === undefined) throw invalid(`${where} has neither data nor url`);
  const compact = data.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact))
    throw invalid(`${where}.data is not valid base64`);
  return Buffer.from(compact, 'base64');
}

function mapUser(
  message: Extract<ChatMessage, { role: 'user' }>,
  index: number,
  warnings: Warning[],
): Message {
  if (message.name !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: `messages[${index}].name`,
      details: 'Ollama has no participant names; ignored.',
    });
  }
  if (typeof message.content === 'string') return { role: 'user', content: message.content };
  const texts: string[] = [];
  const images: Uint8Array[] = [];
  message.content.forEach((part, j) => {
    if (part.type === 'text') texts.push(part.text);
    else {
      const bytes = imageBytes(part, `messages[${index}].content[${j}]`, warnings);
      if (bytes) images.push(bytes);
    }
  });
  return { role: 'user', content: texts.join('\n'), ...(images.length > 0 ? { images } : {}) };
}

function parseArguments(text: string, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw invalid(`${where}.arguments is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`${where}.arguments must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function mapMessages(request: ChatRequest, warnings: Warning[]): Message[] {
  const out: Message[] = [];
  if (request.system) out.push({ role: 'system', content: request.system });
  // Ollama has no tool-call ids: a tool result names its tool, found from the call it answers.
  const toolNames = new Map<string, string>();
  request.messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content });
        break;
      case 'user':
        out.push(mapUser(message, i, warnings));
        break;
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        for (const call of calls) toolNames.set(call.id, call.name);
        out.push({
          role: 'assistant',
          content: message.content ?? '',
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((call, j) => ({
                  function: {
                    name: call.name,
                    arguments: parseArguments(call.arguments, `messages[${i}].toolCalls[${j}]`),
                  },
                })),
              }
            : {}),
        });
        break;
      }
      case 'tool': {
        const name = message.name ?? toolNames.get(message.toolCallId);
        out.push({
          role: 'tool',
          content: message.content,
          ...(name === undefined ? {} : { tool_name: name }),
        });
        break;
      }
    }
  });
  return out;
}

function mapTools(request: ChatRequest, warnings: Warning[]): Tool[] | undefined {
  let tools = request.tools ?? [];
  const choice = request.toolChoice;
  if (tools.length === 0 || choice === 'none') return undefined;
  if (choice === 'required') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      details: 'Ollama cannot force a tool call; the model may answer in text.',
    });
  } else if (typeof choice === 'object') {
    tools = tools.filter((t) => t.name === choice.name);
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      details: `Ollama cannot force a tool call; only "${choice.name}" was offered.`,
    });
  }
  if (tools.some((t) => t.strict)) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'tools.strict',
      details: 'Ollama does not enforce tool schemas strictly.',
    });
  }
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      ...(t.description === undefined ? {} : { description: t.description }),
      parameters: t.parameters as NonNullable<Tool['function']['parameters']>,
    },
  }));
}

/** Maps a normalized chat request to the body of Ollama's `/api/chat`. */
export function mapOllamaChatRequest(
  model: string,
  request: ChatRequest,
  defaults: RequestDefaults,
): MappedChatRequest {
  const warnings: Warning[] = [];
  const provider = parseOllamaProviderOptions(request.providerOptions?.ollama, warnings);
  const options: Partial<Options> = {};
  if (defaults.numCtx !== undefined) options.num_ctx = defaults.numCtx;
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.topP !== undefined) options.top_p = request.topP;
  if (request.topK !== undefined) options.top_k = request.topK;
  if (request.stop !== undefined && request.stop.length > 0) options.stop = [...request.stop];
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (request.seed !== undefined) options.seed = request.seed;
  if (request.presencePenalty !== undefined) options.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) options.frequency_penalty = request.frequencyPenalty;
  if (provider.options) Object.assign(options, provider.options);

  const tools = mapTools(request, warnings);
  const format = request.responseFormat;
  const keepAlive = provider.keep_alive ?? defaults.keepAlive;
  const body: OllamaChatRequest = {
    model,
    messages: mapMessages(request, warnings),
    ...(tools ? { tools } : {}),
    ...(format?.type === 'json'
      ? { format: 'json' }
      : format?.type === 'json_schema'
        ? { format: { ...format.schema } }
        : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(keepAlive === undefined ? {} : { keep_alive: keepAlive }),
    ...(provider.think === undefined ? {} : { think: provider.think }),
  };
  return { body, warnings };
}
