import { ROUTING_STRATEGIES, TASK_TYPES } from '@orchestrator/core';
import { z } from 'zod';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    url: z.string().max(20_000_000),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});
const userContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textPart, imagePart])).min(1),
]);
const textContent = z.union([z.string(), z.array(textPart)]);

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const openAIMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content: userContent, name: z.string().optional() }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([textContent, z.null()]).optional(),
    tool_calls: z.array(toolCall).optional(),
    name: z.string().optional(),
  }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
]);

/** The orchestrator's own body extension of an OpenAI request. */
export const orchestratorExtension = z.object({
  strategy: z.enum(ROUTING_STRATEGIES).optional(),
  taskType: z.enum(TASK_TYPES).optional(),
  maxCost: z.number().positive().optional(),
  cache: z.boolean().optional(),
});

export function chatCompletionSchema(maxTokens: number, maxMessages: number) {
  return z.object({
    model: z.string().min(1).max(256),
    messages: z.array(openAIMessageSchema).min(1).max(maxMessages),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.number().int().min(1).max(maxTokens).nullish(),
    max_completion_tokens: z.number().int().min(1).max(maxTokens).nullish(),
    n: z.number().int().min(1).max(128).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    tools: z
      .array(
        z.object({
          type: z.literal('function'),
          function: z.object({
            name: z.string().min(1).max(64),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().nullish(),
          }),
        }),
      )
      .max(128)
      .optional(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
      ])
      .optional(),
    response_format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({ type: z.literal('json_object') }),
        z.object({
          type: z.literal('json_schema'),
          json_schema: z.object({
            name: z.string().min(1),
            description: z.string().optional(),
            schema: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().nullish(),
          }),
        }),
      ])
      .optional(),
    // `user` is accepted for compatibility and ignored: identity comes only from the API key.
    user: z.string().optional(),
    metadata: z.record(z.string(), z.string().max(512)).optional(),
    orchestrator: orchestratorExtension.optional(),
  });
}
export type ChatCompletionBody = z.output<ReturnType<typeof chatCompletionSchema>>;

export const embeddingsSchema = z.object({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  dimensions: z.number().int().positive().max(65_536).optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

const PLAIN_BODY_KEYS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'user',
]);
const PLAIN_ROLES = new Set(['system', 'developer', 'user', 'assistant']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

const inRange = (value: unknown, min: number, max: number): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max);

const tokenCount = (value: unknown, max: number): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max);

/**
 * The body of the most common chat request — text messages (`system`,
 * `developer`, `user`, `assistant` with string content and an optional
 * `name`), the model, `stream` and a few sampling fields — checked by hand
 * and returned as it is; anything else (`undefined`) goes through
 * `chatCompletionSchema`, which then decides and words the error. It accepts
 * only bodies the schema accepts unchanged (no key the schema would strip),
 * so the answer is the same either way: the schema's parse was ~3% of the
 * gateway's CPU per request in bench/src/gateway.
 */
export function plainChatBody(
  body: unknown,
  maxTokens: number,
  maxMessages: number,
): ChatCompletionBody | undefined {
  if (!isPlainObject(body)) return undefined;
  for (const key in body) if (!PLAIN_BODY_KEYS.has(key)) return undefined;
  const { model, messages, stream, stream_options: options, user } = body;
  if (typeof model !== 'string' || model.length < 1 || model.length > 256) return undefined;
  if (stream !== undefined && typeof stream !== 'boolean') return undefined;
  if (user !== undefined && typeof user !== 'string') return undefined;
  if (options !== undefined && options !== null) {
    if (!isPlainObject(options)) return undefined;
    for (const key in options) if (key !== 'include_usage') return undefined;
    if (options.include_usage !== undefined && typeof options.include_usage !== 'boolean')
      return undefined;
  }
  if (!inRange(body.temperature, 0, 2) || !inRange(body.top_p, 0, 1)) return undefined;
  if (!tokenCount(body.max_tokens, maxTokens)) return undefined;
  if (!tokenCount(body.max_completion_tokens, maxTokens)) return undefined;
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > maxMessages)
    return undefined;
  for (const message of messages) {
    if (!isPlainObject(message)) return undefined;
    for (const key in message)
      if (key !== 'role' && key !== 'content' && key !== 'name') return undefined;
    if (typeof message.role !== 'string' || !PLAIN_ROLES.has(message.role)) return undefined;
    if (typeof message.content !== 'string') return undefined;
    if (message.name !== undefined && typeof message.name !== 'string') return undefined;
  }
  return body as ChatCompletionBody;
}
