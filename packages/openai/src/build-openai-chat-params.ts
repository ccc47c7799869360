import type { ChatRequest, ToolChoice, Warning } from '@orchestrator/core';
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';
import type { OpenAIModelSpec } from './openai-capabilities.js';
import { parseOpenAIProviderOptions } from './openai-provider-options.js';
import type { OpenAICompatibility } from './openai-settings.js';

export interface ChatParamsContext {
  readonly modelId: string;
  readonly spec: OpenAIModelSpec;
  readonly compatibility: OpenAICompatibility;
  readonly providerOptionKeys: readonly string[];
}

export type OpenAIChatParams = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

const MAX_STOP_SEQUENCES = 4;

function unsupported(warnings: Warning[], setting: string, details: string): void {
  warnings.push({ type: 'unsupported-setting', setting, details });
}

/**
 * Maps a normalized request to a Chat Completions body (without `stream`).
 * What the model cannot take is dropped with a warning instead of failing:
 * sampling parameters and stop sequences on reasoning models, `topK`,
 * images on models without vision, tools on models without tool calling,
 * JSON schema on models with only JSON mode (downgraded to `json_object`).
 */
export function buildOpenAIChatParams(
  request: ChatRequest,
  context: ChatParamsContext,
): { readonly params: OpenAIChatParams; readonly warnings: Warning[] } {
  const warnings: Warning[] = [];
  const { spec } = context;
  const features = spec.capabilities.features;
  const reasoning = spec.reasoning;
  const params: Record<string, unknown> = { model: context.modelId };

  const system: string[] = request.system ? [request.system] : [];
  const format = request.responseFormat;
  if (format?.type === 'json' && !mentionsJson(request)) {
    // OpenAI refuses JSON mode unless the conversation mentions JSON.
    system.push('Respond with a single JSON object.');
  }
  params.messages = convertToOpenAIMessages(
    request.messages,
    {
      systemRole: reasoning && context.compatibility === 'strict' ? 'developer' : 'system',
      dropImages: spec.known && !features.includes('vision'),
      system,
    },
    warnings,
  );

  const sampling = [
    ['temperature', 'temperature', request.temperature],
    ['topP', 'top_p', request.topP],
    ['presencePenalty', 'presence_penalty', request.presencePenalty],
    ['frequencyPenalty', 'frequency_penalty', request.frequencyPenalty],
  ] as const;
  for (const [setting, wire, value] of sampling) {
    if (value === undefined) continue;
    if (reasoning) unsupported(warnings, setting, 'reasoning models accept only the default value');
    else params[wire] = value;
  }
  if (request.topK !== undefined) unsupported(warnings, 'topK', 'OpenAI has no top-k sampling');
  if (request.stop !== undefined && request.stop.length > 0) {
    if (reasoning) unsupported(warnings, 'stop', 'reasoning models do not take stop sequences');
    else {
      if (request.stop.length > MAX_STOP_SEQUENCES) {
        unsupported(
          warnings,
          'stop',
          `at most ${MAX_STOP_SEQUENCES} stop sequences; the rest were dropped`,
        );
      }
      params.stop = request.stop.slice(0, MAX_STOP_SEQUENCES);
    }
  }
  if (request.maxTokens !== undefined) {
    params[reasoning ? 'max_completion_tokens' : 'max_tokens'] = request.maxTokens;
  }
  if (request.seed !== undefined) params.seed = request.seed;

  const tools = request.tools ?? [];
  const toolsAllowed = !spec.known || features.includes('tool_calling');
  if (tools.length > 0 && !toolsAllowed) {
    unsupported(warnings, 'tools', 'this model does not call tools; tools were left out');
  } else if (tools.length > 0) {
    params.tools = tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      },
    }));
    if (request.toolChoice !== undefined)
      params.tool_choice = convertToolChoice(request.toolChoice);
  } else if (
    request.toolChoice !== undefined &&
    request.toolChoice !== 'none' &&
    request.toolChoice !== 'auto'
  ) {
    unsupported(warnings, 'toolChoice', 'no tools were given');
  }

  if (format?.type === 'json' || format?.type === 'json_schema') {
    if (spec.known && !features.includes('json_mode')) {
      unsupported(warnings, 'responseFormat', 'this model has no JSON mode');
    } else if (format.type === 'json') {
      params.response_format = { type: 'json_object' };
    } else if (spec.known && !spec.structuredOutputs) {
      unsupported(
        warnings,
        'responseFormat',
        'this model has JSON mode but not JSON schema; the schema was not enforced',
      );
      params.response_format = { type: 'json_object' };
      if (!mentionsJson(request)) {
        (params.messages as unknown[]).unshift({
          role: 'system',
          content: 'Respond with a single JSON object.',
        });
      }
    } else {
      params.response_format = {
        type: 'json_schema',
        json_schema: {
          name: schemaName(format.name),
          ...(format.description === undefined ? {} : { description: format.description }),
          schema: format.schema,
          ...(format.strict === undefined ? {} : { strict: format.strict }),
        },
      };
    }
  }

  const extra = parseOpenAIProviderOptions(
    request.providerOptions,
    context.providerOptionKeys,
    warnings,
  );
  if (extra.reasoning_effort !== undefined && !reasoning) {
    unsupported(
      warnings,
      'providerOptions.reasoningEffort',
      'only reasoning models take a reasoning effort',
    );
    delete extra.reasoning_effort;
  }
  if (extra.parallel_tool_calls !== undefined && params.tools === undefined)
    delete extra.parallel_tool_calls;
  if (extra.max_completion_tokens !== undefined) delete params.max_tokens;
  Object.assign(params, extra);
  return { params: params as unknown as OpenAIChatParams, warnings };
}

function convertToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/** Structured Outputs names must match `^[a-zA-Z0-9_-]{1,64}$`. */
function schemaName(name: string | undefined): string {
  const cleaned = (name ?? 'response').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'response' : cleaned;
}

function mentionsJson(request: ChatRequest): boolean {
  if (request.system && /json/i.test(request.system)) return true;
  return request.messages.some((m) => {
    const content = m.content;
    if (typeof content === 'string') return /json/i.test(content);
    return Array.isArray(content) && content.some((p) => p.type === 'text' && /json/i.test(p.text));
  });
}
