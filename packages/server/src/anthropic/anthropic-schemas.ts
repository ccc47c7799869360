import { z } from 'zod';
import { orchestratorExtension } from '../openai/openai-schemas.js';

const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string().url() }),
  ]),
});
const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(textBlock)]).optional(),
  is_error: z.boolean().optional(),
});
const block = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock]);

export function messagesSchema(maxTokens: number, maxMessages: number) {
  return z.object({
    model: z.string().min(1).max(256),
    max_tokens: z.number().int().min(1).max(maxTokens),
    messages: z
      .array(
        z.object({
          role: z.enum(['user', 'assistant']),
          content: z.union([z.string(), z.array(block).min(1)]),
        }),
      )
      .min(1)
      .max(maxMessages),
    system: z.union([z.string(), z.array(textBlock)]).optional(),
    stop_sequences: z.array(z.string()).max(16).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(1).optional(),
    stream: z.boolean().optional(),
    tools: z
      .array(
        z.object({
          name: z.string().min(1).max(128),
          description: z.string().optional(),
          input_schema: z.record(z.string(), z.unknown()),
        }),
      )
      .max(128)
      .optional(),
    tool_choice: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('auto') }),
        z.object({ type: z.literal('any') }),
        z.object({ type: z.literal('none') }),
        z.object({ type: z.literal('tool'), name: z.string().min(1) }),
      ])
      .optional(),
    // Accepted and ignored for identity: who the request acts for comes from the key.
    metadata: z.object({ user_id: z.string().optional() }).optional(),
    orchestrator: orchestratorExtension.optional(),
  });
}
export type MessagesBody = z.output<ReturnType<typeof messagesSchema>>;

/** Body of POST /v1/messages/count_tokens: a Messages body without the output settings. */
export function countTokensSchema(maxTokens: number, maxMessages: number) {
  return messagesSchema(maxTokens, maxMessages)
    .omit({ stream: true, stop_sequences: true, temperature: true, top_p: true, top_k: true })
    .extend({ max_tokens: z.number().int().min(1).max(maxTokens).optional() });
}
