import { z } from 'zod';
import { countTokensSchema, messagesSchema } from '../anthropic/anthropic-schemas.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { createKeySchema } from '../management/admin-routes.js';
import {
  createModelSchema,
  modelCallSchemas,
  updateModelSchema,
} from '../management/model-routes.js';
import { chatCompletionSchema, embeddingsSchema } from '../openai/openai-schemas.js';
import {
  feedbackSchema,
  orchestratorChatSchema,
  preferencesSchema,
} from '../orchestrator-api/orchestrator-schemas.js';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  description:
    "Orchestrator API error (OpenAI routes use OpenAI's shape, /v1/messages Anthropic's).",
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        param: { type: ['string', 'null'] },
        requestId: { type: 'string' },
      },
      required: ['code', 'message', 'param', 'requestId'],
    },
  },
};

interface Op {
  summary: string;
  body?: z.ZodType;
  tag: string;
  admin?: boolean;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(config: GatewayConfig): Record<string, unknown> {
  const { maxTokens, maxMessages, maxBatchSize } = config.limits;
  const chat = orchestratorChatSchema(maxTokens, maxMessages);
  const ops: Record<string, Record<string, Op>> = {
    '/v1/chat/completions': {
      post: {
        summary: 'OpenAI-compatible chat completion (SSE when stream=true)',
        body: chatCompletionSchema(maxTokens, maxMessages),
        tag: 'OpenAI',
      },
    },
    '/v1/embeddings': {
      post: { summary: 'OpenAI-compatible embeddings', body: embeddingsSchema, tag: 'OpenAI' },
    },
    '/v1/models': { get: { summary: 'Models this key may use', tag: 'OpenAI' } },
    '/v1/messages': {
      post: {
        summary: 'Anthropic-compatible Messages (SSE when stream=true)',
        body: messagesSchema(maxTokens, maxMessages),
        tag: 'Anthropic',
      },
    },
    '/v1/messages/count_tokens': {
      post: {
        summary: 'Anthropic-compatible token count of a Messages body (nothing is sent upstream)',
        body: countTokensSchema(maxTokens, maxMessages),
        tag: 'Anthropic',
      },
    },
    '/api/v1/orchestrator/chat/route': {
      post: { summary: 'Routing decision only', body: chat, tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/chat/execute': {
      post: { summary: 'Route and execute', body: chat, tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/chat/stream': {
      post: {
        summary: 'Route and stream: SSE events decision, chunk…, record (or error)',
        body: chat,
        tag: 'Orchestrator',
      },
    },
    '/api/v1/orchestrator/batch/submit': {
      post: {
        summary: `Submit up to ${maxBatchSize} requests; returns a batch id`,
        body: z.object({ requests: z.array(chat).max(maxBatchSize) }),
        tag: 'Orchestrator',
      },
    },
    '/api/v1/orchestrator/batch/{id}/status': {
      get: { summary: 'Batch progress and results', tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/analytics/user': {
      get: { summary: "The caller's own spend, budget and recommendations", tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/analytics/models': {
      get: { summary: 'Per-model analytics', tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/health': {
      get: { summary: 'Gateway health (public)', tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/models/capabilities': {
      get: { summary: 'Capabilities, prices and health of models', tag: 'Orchestrator' },
    },
    '/api/v1/orchestrator/preferences/update': {
      post: {
        summary: "Set the caller's routing preferences",
        body: preferencesSchema,
        tag: 'Orchestrator',
      },
    },
    '/api/v1/orchestrator/feedback': {
      post: {
        summary: 'Score a past response (feeds the learner)',
        body: feedbackSchema,
        tag: 'Orchestrator',
      },
    },
    '/api/models': {
      get: { summary: 'List models', tag: 'Models' },
      post: {
        summary: 'Create a model (live at once, persisted)',
        body: createModelSchema,
        tag: 'Models',
        admin: true,
      },
    },
    '/api/models/{name}': {
      get: { summary: 'Get a model', tag: 'Models' },
      put: {
        summary: 'Update a managed model',
        body: updateModelSchema,
        tag: 'Models',
        admin: true,
      },
      delete: { summary: 'Delete a managed model', tag: 'Models', admin: true },
    },
    '/api/models/chat': {
      post: {
        summary: 'Chat with a named model (400 `unsupported_capability` if it cannot)',
        body: modelCallSchemas.chat,
        tag: 'Models',
      },
    },
    '/api/models/completion': {
      post: {
        summary: 'Complete a prompt with a named model',
        body: modelCallSchemas.completion,
        tag: 'Models',
      },
    },
    '/api/models/embedding': {
      post: {
        summary: 'Embeddings from a named model',
        body: modelCallSchemas.embedding,
        tag: 'Models',
      },
    },
    '/api/models/image': {
      post: {
        summary: 'Generate images with a named model',
        body: modelCallSchemas.image,
        tag: 'Models',
      },
    },
    '/api/models/audio/transcription': {
      post: {
        summary: 'Transcribe audio (base64) with a named model',
        body: modelCallSchemas.audio,
        tag: 'Models',
      },
    },
    '/api/models/audio/translation': {
      post: {
        summary: 'Translate audio (base64) to English text with a named model',
        body: modelCallSchemas.audio,
        tag: 'Models',
      },
    },
    '/api/admin/keys': {
      get: { summary: 'List API keys (never the keys themselves)', tag: 'Admin', admin: true },
      post: {
        summary: 'Create an API key (shown once)',
        body: createKeySchema,
        tag: 'Admin',
        admin: true,
      },
    },
    '/api/admin/keys/{id}': { delete: { summary: 'Revoke an API key', tag: 'Admin', admin: true } },
    '/metrics': { get: { summary: 'Prometheus metrics', tag: 'Operations' } },
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(ops)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      paths[path][method] = {
        summary: op.summary,
        tags: [op.tag],
        ...(params.length ? { parameters: params } : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: json(op.body) } },
              },
            }
          : {}),
        responses: {
          '200': { description: 'Success' },
          '400': {
            description: 'Invalid request (the error names the parameter)',
            content: { 'application/json': { schema: errorSchema } },
          },
          '401': { description: 'Missing or invalid API key' },
          ...(op.admin ? { '403': { description: 'Needs an admin key' } } : {}),
          '413': { description: 'Body too large' },
          '429': { description: 'Rate limited (Retry-After)' },
        },
        ...(path === '/metrics' || path.endsWith('/health') ? { security: [] } : {}),
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Orchestrator gateway',
      version: '0.1.0',
      description: 'OpenAI- and Anthropic-compatible gateway with model orchestration.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: { Error: errorSchema },
    },
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    paths,
  };
}
