import { ROUTING_STRATEGIES, TASK_TYPES } from '@orchestrator/core';
import { z } from 'zod';
import { openAIMessageSchema } from '../openai/openai-schemas.js';

/** A chat request in the orchestrator API (OpenAI-style messages plus routing options). */
export function orchestratorChatSchema(maxTokens: number, maxMessages: number) {
  return z.object({
    messages: z.array(openAIMessageSchema).min(1).max(maxMessages),
    model: z.string().min(1).max(256).optional(),
    system: z.string().optional(),
    maxTokens: z.number().int().min(1).max(maxTokens).optional(),
    temperature: z.number().min(0).max(2).optional(),
    strategy: z.enum(ROUTING_STRATEGIES).optional(),
    taskType: z.enum(TASK_TYPES).optional(),
    maxCost: z.number().positive().optional(),
    cache: z.boolean().optional(),
  });
}
export type OrchestratorChatBody = z.output<ReturnType<typeof orchestratorChatSchema>>;

export const feedbackSchema = z.object({
  requestId: z.string().min(1).max(200),
  score: z.number().min(0).max(1),
  comment: z.string().max(4000).optional(),
});

export const preferencesSchema = z.object({
  strategy: z.enum(ROUTING_STRATEGIES).nullable().optional(),
  weights: z
    .object({
      cost: z.number().min(0).max(1).optional(),
      speed: z.number().min(0).max(1).optional(),
      quality: z.number().min(0).max(1).optional(),
    })
    .nullable()
    .optional(),
});
