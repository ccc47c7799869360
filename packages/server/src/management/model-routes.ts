import type { Model } from '@orchestrator/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { modelSettingsSchema, PROVIDERS } from '../config/config-schema.js';
import {
  callWithUsage,
  type GatewayContext,
  mayUse,
  orchestratorRequest,
  recordUsage,
  visibleModels,
} from '../gateway-context.js';
import { ApiError } from '../http/api-error.js';
import { parseBody } from '../http/validate.js';
import { fromOpenAIRequest } from '../openai/from-openai-request.js';
import { openAIMessageSchema } from '../openai/openai-schemas.js';
import { activate } from './stored-models.js';

const nameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'letters, digits and . _ : / @ - only');

/** Body of POST /api/models. No base URL and no key: those come from configuration and the environment. */
export const createModelSchema = z.strictObject({
  name: nameSchema,
  provider: z.enum(PROVIDERS),
  modelId: z.string().min(1).max(256),
  enabled: z.boolean().default(true),
  settings: modelSettingsSchema.default({}),
});
export const updateModelSchema = createModelSchema.omit({ name: true }).partial();

const chatCall = z.object({
  model: z.string().min(1),
  messages: z.array(openAIMessageSchema).min(1),
  maxTokens: z.number().int().positive().optional(),
});
const completionCall = z.object({
  model: z.string().min(1),
  prompt: z.string().min(1),
  maxTokens: z.number().int().positive().optional(),
});
const embeddingCall = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
});
const imageCall = z.object({
  model: z.string().min(1),
  prompt: z.string().min(1).max(32_000),
  n: z.number().int().min(1).max(10).optional(),
  size: z.string().max(32).optional(),
});
const audioCall = z.object({
  model: z.string().min(1),
  audio: z.base64().max(35_000_000),
  filename: z.string().max(256).optional(),
  language: z.string().max(16).optional(),
});

/** The bodies of the model-method routes, for the OpenAPI document. */
export const modelCallSchemas = {
  chat: chatCall,
  completion: completionCall,
  embedding: embeddingCall,
  image: imageCall,
  audio: audioCall,
} as const;

function view(ctx: GatewayContext, m: Model): Record<string, unknown> {
  return {
    name: m.name,
    provider: m.provider,
    capabilities: m.capabilities,
    pricing: m.pricing,
    constraints: m.constraints,
    managed: ctx.managed.has(m.name),
    health: ctx.registry.getModelHealth(m.name),
  };
}

export function registerManagementRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/api/models', async (request) => ({
    models: visibleModels(ctx, request.identity).map((m) => view(ctx, m)),
  }));

  app.post('/api/models', async (request, reply) => {
    const body = parseBody(createModelSchema, request.body);
    if (ctx.registry.has(body.name) && !ctx.managed.has(body.name))
      throw new ApiError(
        409,
        'model_exists',
        `The model "${body.name}" is built in and cannot be replaced.`,
        { param: 'name' },
      );
    if (!ctx.providers.has(body.provider))
      throw new ApiError(
        400,
        'provider_not_configured',
        `The provider "${body.provider}" has no key in this gateway's environment.`,
        { param: 'provider' },
      );
    const stored = await ctx.store.models.upsert({
      name: body.name,
      provider: body.provider,
      modelId: body.modelId,
      settings: body.settings,
      enabled: body.enabled,
    });
    const live = activate(ctx, stored);
    reply.code(201);
    return { model: stored, live };
  });

  app.get<{ Params: { name: string } }>('/api/models/:name', async (request) => {
    const name = request.params.name;
    if (!ctx.registry.has(name) || !mayUse(request.identity, name))
      throw new ApiError(404, 'model_not_found', `The model "${name}" does not exist.`, {
        param: 'name',
      });
    return {
      model: view(ctx, ctx.registry.get(name)),
      stored: (await ctx.store.models.get(name)) ?? null,
    };
  });

  app.put<{ Params: { name: string } }>('/api/models/:name', async (request) => {
    const name = request.params.name;
    const body = parseBody(updateModelSchema, request.body);
    const current = await ctx.store.models.get(name);
    if (!current)
      throw new ApiError(404, 'model_not_found', `No managed model "${name}".`, { param: 'name' });
    const stored = await ctx.store.models.upsert({
      name,
      provider: body.provider ?? current.provider,
      modelId: body.modelId ?? current.modelId,
      settings: body.settings ?? current.settings,
      enabled: body.enabled ?? current.enabled,
    });
    return { model: stored, live: activate(ctx, stored) };
  });

  app.delete<{ Params: { name: string } }>('/api/models/:name', async (request, reply) => {
    const name = request.params.name;
    if (ctx.registry.has(name) && !ctx.managed.has(name))
      throw new ApiError(
        409,
        'model_builtin',
        `The model "${name}" is built in and cannot be deleted.`,
        { param: 'name' },
      );
    const deleted = await ctx.store.models.delete(name);
    const unregistered = ctx.registry.has(name) && ctx.registry.unregister(name);
    ctx.managed.delete(name);
    if (!deleted && !unregistered)
      throw new ApiError(404, 'model_not_found', `No managed model "${name}".`, { param: 'name' });
    reply.code(204);
  });

  const target = (
    request: FastifyRequest,
    name: string,
    capability: string,
    has: (m: Model) => boolean,
  ): Model => {
    orchestratorRequest(
      ctx,
      request.identity,
      { messages: [] },
      { model: name },
      request.id,
      request.abort.signal,
    );
    const model = ctx.registry.get(name);
    if (!has(model))
      throw new ApiError(
        400,
        'unsupported_capability',
        `The model "${name}" does not support ${capability}.`,
        { param: 'model' },
      );
    return model;
  };

  app.post('/api/models/chat', async (request) => {
    const body = parseBody(chatCall, request.body);
    target(request, body.model, 'chat', (m) => m.supports('chat'));
    const chat = fromOpenAIRequest({ model: body.model, messages: body.messages });
    const req = orchestratorRequest(
      ctx,
      request.identity,
      { ...chat, ...(body.maxTokens ? { maxTokens: body.maxTokens } : {}) },
      { model: body.model },
      request.id,
      request.abort.signal,
    );
    const response = await ctx.orchestrator.process(req).catch((error: unknown) => {
      recordUsage(ctx, request.id, request.identity.user, { error });
      throw error;
    });
    recordUsage(ctx, request.id, request.identity.user, { response });
    const { decision: _d, ...rest } = response;
    return rest;
  });

  app.post('/api/models/completion', async (request) => {
    const body = parseBody(completionCall, request.body);
    target(
      request,
      body.model,
      'text generation',
      (m) => m.supports('text_generation') || m.supports('chat'),
    );
    const req = orchestratorRequest(
      ctx,
      request.identity,
      {
        messages: [{ role: 'user', content: body.prompt }],
        ...(body.maxTokens ? { maxTokens: body.maxTokens } : {}),
      },
      { model: body.model },
      request.id,
      request.abort.signal,
    );
    const response = await ctx.orchestrator.process(req).catch((error: unknown) => {
      recordUsage(ctx, request.id, request.identity.user, { error });
      throw error;
    });
    recordUsage(ctx, request.id, request.identity.user, { response });
    return {
      model: response.modelUsed,
      text: response.content,
      finishReason: response.finishReason,
      usage: response.usage,
      costUsd: response.costUsd,
    };
  });

  app.post('/api/models/embedding', async (request) => {
    const body = parseBody(embeddingCall, request.body);
    const model = target(
      request,
      body.model,
      'embeddings',
      (m) => m.embed !== undefined && m.supports('embeddings'),
    );
    return callWithUsage(
      ctx,
      request.id,
      request.identity.user,
      model,
      () => model.embed!({ input: body.input }, { signal: request.abort.signal }),
      (r) => ({ costUsd: r.costUsd, inputTokens: r.usage.inputTokens }),
    );
  });

  app.post('/api/models/image', async (request) => {
    const body = parseBody(imageCall, request.body);
    const model = target(
      request,
      body.model,
      'image generation',
      (m) => m.generateImage !== undefined && m.supports('image_generation'),
    );
    return callWithUsage(ctx, request.id, request.identity.user, model, () =>
      model.generateImage!(
        {
          prompt: body.prompt,
          ...(body.n === undefined ? {} : { n: body.n }),
          ...(body.size === undefined ? {} : { size: body.size }),
        },
        { signal: request.abort.signal },
      ),
    );
  });

  for (const kind of ['transcription', 'translation'] as const) {
    app.post(`/api/models/audio/${kind}`, async (request) => {
      const body = parseBody(audioCall, request.body);
      const capability = kind === 'transcription' ? 'audio_transcription' : 'audio_translation';
      const model = target(
        request,
        body.model,
        `audio ${kind}`,
        (m) =>
          (kind === 'transcription' ? m.transcribe : m.translate) !== undefined &&
          m.supports(capability),
      );
      const input = {
        audio: new Uint8Array(Buffer.from(body.audio, 'base64')),
        ...(body.filename === undefined ? {} : { filename: body.filename }),
        ...(body.language === undefined ? {} : { language: body.language }),
      };
      return callWithUsage(ctx, request.id, request.identity.user, model, () =>
        kind === 'transcription'
          ? model.transcribe!(input, { signal: request.abort.signal })
          : model.translate!(input, { signal: request.abort.signal }),
      );
    });
  }
}
