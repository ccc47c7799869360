import type {
  MessageCountTokensParams,
  MessageCreateParamsBase,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import type {
  ChatRequest,
  JsonSchema,
  ToolChoice as NormalizedToolChoice,
  ResponseFormat,
  Warning,
} from '@orchestrator/core';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { validateAnthropicOptions } from './validate-anthropic-options.js';

/**
 * The body the adapter sends. Sampling parameters are not in the 2026 SDK's
 * types any more, but the API still takes them for the models that honour
 * them, so they ride along as plain body fields.
 */
export type AnthropicRequestBody = Omit<MessageCreateParamsBase, 'stream'> & {
  temperature?: number;
  top_p?: number;
  top_k?: number;
};

/**
 * JSON output: Anthropic has no JSON mode, so the adapter offers one tool
 * whose input schema is the requested schema and forces the model to call it;
 * the tool's input is the answer. `wrapped` when the schema is not an object
 * (tool inputs must be), in which case the answer sits under `value`.
 */
export interface JsonOutputTool {
  readonly name: string;
  readonly wrapped: boolean;
}

export interface BuiltAnthropicRequest {
  readonly body: AnthropicRequestBody;
  readonly warnings: Warning[];
  readonly json: JsonOutputTool | undefined;
}

const unsupported = (setting: string, details: string): Warning => ({
  type: 'unsupported-setting',
  setting,
  details,
});

function jsonTool(
  format: Exclude<ResponseFormat, { type: 'text' }>,
  taken: ReadonlySet<string>,
): { tool: Tool; json: JsonOutputTool } {
  let name = 'json_output';
  while (taken.has(name)) name = `_${name}`;
  let schema: JsonSchema = { type: 'object', additionalProperties: true };
  let wrapped = false;
  if (format.type === 'json_schema') {
    const isObject =
      format.schema.type === 'object' ||
      (format.schema.type === undefined && 'properties' in format.schema);
    wrapped = !isObject;
    schema = isObject
      ? { type: 'object', ...format.schema }
      : { type: 'object', properties: { value: format.schema }, required: ['value'] };
  }
  const description =
    (format.type === 'json_schema' ? format.description : undefined) ??
    'Give your final answer by calling this tool; its input is the answer, as JSON.';
  const tool: Tool = {
    name,
    description,
    input_schema: schema as Tool.InputSchema,
    ...(format.type === 'json_schema' && format.strict !== undefined
      ? { strict: format.strict }
      : {}),
  };
  return { tool, json: { name, wrapped } };
}

function mapToolChoice(
  choice: NormalizedToolChoice,
  disableParallel: boolean | undefined,
): ToolChoice {
  const parallel =
    disableParallel === undefined ? {} : { disable_parallel_tool_use: disableParallel };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.name, ...parallel };
}

/** Maps a normalized request to a Messages API body, collecting what could not be honoured. */
export function buildAnthropicRequest(
  request: ChatRequest,
  model: string,
  defaultMaxTokens: number,
): BuiltAnthropicRequest {
  const warnings: Warning[] = [];
  const maxTokens = request.maxTokens ?? defaultMaxTokens;
  const options = validateAnthropicOptions(request.providerOptions?.anthropic, maxTokens, warnings);
  const { disable_parallel_tool_use: disableParallel, ...passThrough } = options;
  const thinking = options.thinking?.type === 'enabled' || options.thinking?.type === 'adaptive';
  const prompt = convertToAnthropicMessages(request, warnings);
  const body: AnthropicRequestBody = {
    model,
    max_tokens: maxTokens,
    messages: prompt.messages,
    ...passThrough,
  };
  let system = prompt.system;

  if (request.temperature !== undefined) {
    if (thinking && request.temperature !== 1) {
      warnings.push(
        unsupported(
          'temperature',
          'Anthropic allows no temperature but 1 with thinking on; it was not sent.',
        ),
      );
    } else if (request.temperature > 1 || request.temperature < 0) {
      body.temperature = Math.min(1, Math.max(0, request.temperature));
      warnings.push(
        unsupported(
          'temperature',
          `Anthropic takes 0–1; ${request.temperature} was clamped to ${body.temperature}.`,
        ),
      );
    } else body.temperature = request.temperature;
  }
  if (request.topP !== undefined) {
    if (thinking && request.topP < 0.95) {
      warnings.push(
        unsupported(
          'topP',
          'Anthropic takes top-p of 0.95–1 only with thinking on; it was not sent.',
        ),
      );
    } else body.top_p = request.topP;
  }
  if (request.topK !== undefined) {
    if (thinking)
      warnings.push(
        unsupported('topK', 'Anthropic takes no top-k with thinking on; it was not sent.'),
      );
    else body.top_k = request.topK;
  }
  if (request.stop && request.stop.length > 0) body.stop_sequences = [...request.stop];
  if (request.seed !== undefined) warnings.push(unsupported('seed', 'Anthropic has no seed.'));
  if (request.presencePenalty !== undefined)
    warnings.push(unsupported('presencePenalty', 'Anthropic has no presence penalty.'));
  if (request.frequencyPenalty !== undefined)
    warnings.push(unsupported('frequencyPenalty', 'Anthropic has no frequency penalty.'));

  const tools: Tool[] = (request.tools ?? []).map((t) => ({
    name: t.name,
    ...(t.description === undefined ? {} : { description: t.description }),
    input_schema: { type: 'object', ...t.parameters } as Tool.InputSchema,
    ...(t.strict === undefined ? {} : { strict: t.strict }),
  }));
  let toolChoice: ToolChoice | undefined;
  if (tools.length > 0 && request.toolChoice !== undefined)
    toolChoice = mapToolChoice(request.toolChoice, disableParallel);
  else if (tools.length > 0 && disableParallel !== undefined)
    toolChoice = { type: 'auto', disable_parallel_tool_use: disableParallel };
  if (thinking && (toolChoice?.type === 'any' || toolChoice?.type === 'tool')) {
    warnings.push(
      unsupported(
        'toolChoice',
        'Anthropic cannot force a tool with thinking on; the model chooses.',
      ),
    );
    toolChoice = { type: 'auto' };
  }

  let json: JsonOutputTool | undefined;
  const format = request.responseFormat;
  if (format && format.type !== 'text') {
    const made = jsonTool(format, new Set(tools.map((t) => t.name)));
    json = made.json;
    if (tools.length > 0) {
      warnings.push(
        unsupported(
          'tools',
          "JSON output forces the answer tool, so the request's own tools are not called.",
        ),
      );
    }
    tools.push(made.tool);
    if (thinking) {
      toolChoice = { type: 'auto' };
      system = `${system ? `${system}\n\n` : ''}Give your final answer by calling the ${made.json.name} tool.`;
    } else toolChoice = { type: 'tool', name: made.json.name };
  }

  if (system !== undefined) body.system = system;
  if (tools.length > 0) body.tools = tools;
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  return { body, warnings, json };
}

/** The `count_tokens` body for the same request: what counts toward input only. */
export function toCountTokensParams(body: AnthropicRequestBody): MessageCountTokensParams {
  return {
    model: body.model,
    messages: body.messages,
    ...(body.system === undefined ? {} : { system: body.system }),
    ...(body.tools === undefined ? {} : { tools: body.tools }),
    ...(body.tool_choice === undefined ? {} : { tool_choice: body.tool_choice }),
    ...(body.thinking === undefined ? {} : { thinking: body.thinking }),
  };
}
