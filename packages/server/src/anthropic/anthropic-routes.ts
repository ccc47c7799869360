import type { FastifyInstance } from 'fastify';
import { type GatewayContext, orchestratorRequest, recordUsage } from '../gateway-context.js';
import { errorBody, toApiError } from '../http/api-error.js';
import { chunksOf, startStream } from '../http/engine-stream.js';
import { sseEvent, startSse, write } from '../http/sse.js';
import { resolveStrategy } from '../http/strategy-header.js';
import { parseBody } from '../http/validate.js';
import { messagesSchema } from './anthropic-schemas.js';
import { AnthropicStreamWriter } from './anthropic-stream-writer.js';
import { fromAnthropicRequest, toAnthropicResponse } from './from-anthropic-request.js';

export function registerAnthropicRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const schema = messagesSchema(ctx.config.limits.maxTokens, ctx.config.limits.maxMessages);

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
    stream.response.then(
      (response) => recordUsage(ctx, request.id, user, { response }),
      (error: unknown) => recordUsage(ctx, request.id, user, { error }),
    );
    const started = await startStream(stream);
    const decision = await stream.decision;
    const res = startSse(reply);
    const writer = new AnthropicStreamWriter(
      id,
      decision?.model ?? body.model,
      decision?.estimatedInputTokens ?? 0,
    );
    for (const [event, data] of writer.start()) await write(res, sseEvent(event, data));
    for await (const chunk of chunksOf(started, request.abort.signal)) {
      if (chunk.type === 'error') {
        await write(
          res,
          sseEvent('error', errorBody('anthropic', toApiError(chunk.error), request.id)),
        );
        break;
      }
      for (const [event, data] of writer.map(chunk)) await write(res, sseEvent(event, data));
    }
    res.end();
  });
}
