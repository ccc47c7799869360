import {
  type Content,
  FunctionCallingConfigMode,
  type GenerateContentConfig,
  type ToolConfig,
} from '@google/genai';
import type { ChatRequest, ToolChoice, Warning } from '@orchestrator/core';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';
import type { GoogleModelTraits } from './google-capabilities.js';
import { parseGoogleProviderOptions } from './google-provider-options.js';

/** Gemini accepts at most this many stop sequences. */
const MAX_STOP_SEQUENCES = 5;

export interface GeminiRequest {
  readonly contents: Content[];
  readonly config: GenerateContentConfig;
  readonly warnings: Warning[];
}

export interface RequestContext {
  readonly model: string;
  readonly traits: GoogleModelTraits;
  readonly signatureOf: (toolCallId: string) => string | undefined;
}

/**
 * Maps a normalized request to `contents` and a `GenerateContentConfig`.
 * What Gemini cannot honour is left out and reported as a warning.
 */
export function convertToGeminiRequest(request: ChatRequest, ctx: RequestContext): GeminiRequest {
  const warnings: Warning[] = [];
  const { contents, system } = convertToGeminiContents(request.messages, {
    model: ctx.model,
    needsSignatures: ctx.traits.thoughtSignatures,
    signatureOf: ctx.signatureOf,
    warnings,
  });
  const config: GenerateContentConfig = {
    // One HTTP request per call: no client-side tool loop, no continuation hops.
    automaticFunctionCalling: { disable: true },
    automaticContinuation: false,
  };
  const instructions = [request.system, ...system].filter((s): s is string => !!s);
  if (instructions.length > 0)
    config.systemInstruction = { parts: [{ text: instructions.join('\n\n') }] };

  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.stop && request.stop.length > 0) {
    config.stopSequences = request.stop.slice(0, MAX_STOP_SEQUENCES);
    if (request.stop.length > MAX_STOP_SEQUENCES) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'stop',
        details: `Gemini takes at most ${MAX_STOP_SEQUENCES} stop sequences; the first ${MAX_STOP_SEQUENCES} were sent.`,
      });
    }
  }
  for (const key of ['presencePenalty', 'frequencyPenalty'] as const) {
    const value = request[key];
    if (value === undefined) continue;
    if (ctx.traits.penalties) config[key] = value;
    else {
      warnings.push({
        type: 'unsupported-setting',
        setting: key,
        details: `${ctx.model} rejects penalties ("Penalty is not enabled"); it was not sent.`,
      });
    }
  }

  const tools = request.tools ?? [];
  if (tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: tools.map((tool) => ({
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
    if (tools.some((t) => t.strict)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'tools.strict',
        details: 'Gemini has no strict mode for function declarations.',
      });
    }
    if (request.toolChoice !== undefined) config.toolConfig = toToolConfig(request.toolChoice);
  } else if (
    request.toolChoice !== undefined &&
    request.toolChoice !== 'auto' &&
    request.toolChoice !== 'none'
  ) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      details: 'No tools were given.',
    });
  }

  const format = request.responseFormat;
  if (format && format.type !== 'text') {
    // Gemini before 3 refuses a JSON mime type together with function calling.
    if (tools.length > 0 && !ctx.traits.thoughtSignatures) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'responseFormat',
        details: `${ctx.model} cannot combine JSON output with function calling; JSON mode was not requested.`,
      });
    } else {
      config.responseMimeType = 'application/json';
      if (format.type === 'json_schema') config.responseJsonSchema = format.schema;
    }
  }

  Object.assign(
    config,
    parseGoogleProviderOptions(request.providerOptions?.google, ctx.model, warnings),
  );
  return { contents, config, warnings };
}

function toToolConfig(choice: ToolChoice): ToolConfig {
  if (choice === 'auto') return { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } };
  if (choice === 'none') return { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } };
  if (choice === 'required')
    return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } };
  return {
    functionCallingConfig: {
      mode: FunctionCallingConfigMode.ANY,
      allowedFunctionNames: [choice.name],
    },
  };
}
