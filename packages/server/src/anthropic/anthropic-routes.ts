import { countRequestTokens, type Model } from '@orchestrator/core';
import type { FastifyInstance } from 'fastify';
import {
  type GatewayContext,
  orchestratorRequest,
  recordStreamUsage,
  recordUsage,
} from '../gateway-context.js';
import { errorBody, toApiError } from '../http/api-error.js';
import { chunksOf, startStream } from '../http/engine-stream.js';
import { SseWriter, sseEvent, startSse } from '../http/sse.js';
import { resolveStrategy } from '../http/strategy-header.js';
import { parseBody } from '../http/validate.js';
import { countTokensSchema, messagesSchema } from './anthropic-schemas.js';
import { AnthropicStreamWriter } from './anthropic-stream-writer.js';
import { fromAnthropicRequest, toAnthropicResponse } from './from-anthropic-request.js';

export function registerAnthropicRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const schema = messagesSchema(ctx.config.limits.maxTokens, ctx.config.limits.maxMessages);
  const countSchema = countTokensSchema(ctx.config.limits.maxTokens, ctx.config.limits.maxMessages);

  /**
   * Anthropic's token counting: the input tokens of a Messages body for the
   * model that would answer it (the named one, or the one `auto` routes to),
   * counted by the engine's tokenizer — exact for models with a loaded OpenAI
   * encoding, the model family's calibrated estimate otherwise (errs high).
   * Nothing is sent upstream and nothing is billed.
   */
  app.post('/v1/messages/count_tokens', async (request) => {
    const body = parseBody(countSchema, request.body);
    const ext = body.orchestrator;
    const chat = fromAnthropicRequest({ ...body, max_tokens: body.max_tokens ?? 1 });
    const engineRequest = orchestratorRequest(
      ctx,
      request.identity,
      chat,
      {
        model: body.model,
        strategy: resolveStrategy(request, ext?.strategy),
        taskType: ext?.taskType,
      },
      request.id,
      request.abort.signal,
    );
    const model = ctx.registry.get(ctx.orchestrator.route(engineRequest).model);
    return { input_tokens: countRequestTokens(chat, tokenizerId(model)) };
  });

  app.post('/v1/messages', async (request, reply) => {
    const body = parseBody(schema, request.body);
    const ext = body.orchestrator;
    const engineRequest = orchestratorRequest(
      ctx,
      request.identity,
      fromAnthropicRequest(body),
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
    const id = `msg_${request.id}`;
    const user = request.identity.user;
    if (body.stream !== true) {
      try {
        const response = await ctx.orchestrator.process(engineRequest);
        recordUsage(ctx, request.id, user, { response });
        return toAnthropicResponse(response, id);
      } catch (error) {
        recordUsage(ctx, request.id, user, { error });
        throw error;
      }
    }
    const stream = ctx.orchestrator.stream(engineRequest);
    recordStreamUsage(ctx, request.id, user, stream);
    const started = await startStream(stream);
    // Events of one tick leave as one write, the first at once with the head.
    const sse = new SseWriter(startSse(reply));
    const writer = new AnthropicStreamWriter(
      id,
      started.model,
      started.decision?.estimatedInputTokens ?? 0,
    );
    for (const [event, data] of writer.start()) await sse.send(sseEvent(event, data));
    for await (const chunk of chunksOf(started, request.abort.signal)) {
      if (chunk.type === 'error') {
        await sse.send(
          sseEvent('error', errorBody('anthropic', toApiError(chunk.error), request.id)),
        );
        break;
      }
      for (const [event, data] of writer.map(chunk)) await sse.send(sseEvent(event, data));
    }
    sse.end();
  });
}

/** The id a model's tokens are counted by: its provider's model id when the adapter exposes it. */
function tokenizerId(model: Model): string {
  const id = (model as { readonly modelId?: unknown }).modelId;
  return `${model.provider}/${typeof id === 'string' ? id : model.name}`;
}
