import type { EmbeddingResponse, Model } from '@orchestrator/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  callWithUsage,
  type GatewayContext,
  orchestratorRequest,
  recordUsageAfterResponse,
  visibleModels,
} from '../gateway-context.js';
import { ApiError } from '../http/api-error.js';
import { resolveStrategy } from '../http/strategy-header.js';
import { parseBody } from '../http/validate.js';
import { fromOpenAIRequest } from './from-openai-request.js';
import { streamChat } from './openai-chat-stream-route.js';
import { chatCompletionSchema, embeddingsSchema, plainChatBody } from './openai-schemas.js';
import { toOpenAIResponse } from './to-openai-response.js';

export function registerOpenAIRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const { maxTokens, maxMessages } = ctx.config.limits;
  const schema = chatCompletionSchema(maxTokens, maxMessages);

  app.post('/v1/chat/completions', async (request, reply) => {
    const body =
      plainChatBody(request.body, maxTokens, maxMessages) ?? parseBody(schema, request.body);
    const chat = fromOpenAIRequest(body);
    const ext = body.orchestrator;
    const engineRequest = orchestratorRequest(
      ctx,
      request.identity,
      chat,
      {
        model: body.model,
        strategy: resolveStrategy(request, ext?.strategy),
        taskType: ext?.taskType,
        maxCost: ext?.maxCost,
        cache: ext?.cache,
      },
      request.id,
      request.abort.signal,
    );
    const created = Math.floor(Date.now() / 1000);
    const id = `chatcmpl-${request.id}`;
    if (body.stream === true) {
      return streamChat(
        ctx,
        request,
        reply,
        engineRequest,
        id,
        created,
        body.stream_options?.include_usage === true,
      );
    }
    try {
      const response = await ctx.orchestrator.process(engineRequest);
      recordUsageAfterResponse(ctx, request, { response });
      reply.header('x-orchestrator-model', response.modelUsed);
      reply.header('x-orchestrator-cached', String(response.cached));
      return toOpenAIResponse(response, id, created);
    } catch (error) {
      recordUsageAfterResponse(ctx, request, { error });
      throw error;
    }
  });

  app.post('/v1/embeddings', async (request) => {
    const body = parseBody(embeddingsSchema, request.body);
    const model = embeddingModel(ctx, request, body.model);
    // One usage row, whether the call succeeds or fails.
    const response: EmbeddingResponse = await callWithUsage(
      ctx,
      request.id,
      request.identity.user,
      model,
      () =>
        model.embed!(
          {
            input: body.input,
            ...(body.dimensions === undefined ? {} : { dimensions: body.dimensions }),
          },
          { signal: request.abort.signal },
        ),
      (r) => ({ costUsd: r.costUsd, inputTokens: r.usage.inputTokens }),
    );
    const base64 = body.encoding_format === 'base64';
    const tokens = response.usage.inputTokens ?? 0;
    return {
      object: 'list',
      model: model.name,
      data: response.embeddings.map((e, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(e).buffer).toString('base64') : e,
      })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  });

  app.get('/v1/models', async (request) => ({
    object: 'list',
    data: [
      { id: 'auto', object: 'model', created: 0, owned_by: 'orchestrator' },
      ...visibleModels(ctx, request.identity).map((m) => ({
        id: m.name,
        object: 'model',
        created: 0,
        owned_by: m.provider,
      })),
    ],
  }));
}

function embeddingModel(ctx: GatewayContext, request: FastifyRequest, name: string): Model {
  const candidates = visibleModels(ctx, request.identity);
  if (name === 'auto') {
    const found = candidates.find((m) => m.embed !== undefined && m.supports('embeddings'));
    if (!found)
      throw new ApiError(400, 'no_eligible_models', 'No available model makes embeddings.', {
        param: 'model',
      });
    return found;
  }
  orchestratorRequest(
    ctx,
    request.identity,
    { messages: [] },
    { model: name },
    request.id,
    request.abort.signal,
  );
  const model = ctx.registry.get(name);
  if (model.embed === undefined || !model.supports('embeddings'))
    throw new ApiError(
      400,
      'unsupported_capability',
      `The model "${name}" does not make embeddings.`,
      { param: 'model' },
    );
  return model;
}
