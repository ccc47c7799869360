import { randomUUID } from 'node:crypto';
import { type Orchestrator, type UserBudgetStatus, userAnalytics } from '@orchestrator/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type GatewayContext,
  orchestratorRequest,
  recordStreamUsage,
  recordUsage,
  visibleModels,
} from '../gateway-context.js';
import { ApiError, errorBody, toApiError } from '../http/api-error.js';
import { chunksOf, startStream } from '../http/engine-stream.js';
import { SseWriter, sseEvent, startSse } from '../http/sse.js';
import { parseBody } from '../http/validate.js';
import { fromOpenAIRequest } from '../openai/from-openai-request.js';
import type { BatchRunner, StoredBatchRequest } from './batch-runner.js';
import {
  feedbackSchema,
  type OrchestratorChatBody,
  orchestratorChatSchema,
  preferencesSchema,
} from './orchestrator-schemas.js';

const BASE = '/api/v1/orchestrator';

export function registerOrchestratorRoutes(
  app: FastifyInstance,
  ctx: GatewayContext,
  batches: BatchRunner,
): void {
  const chatSchema = orchestratorChatSchema(
    ctx.config.limits.maxTokens,
    ctx.config.limits.maxMessages,
  );
  const batchSchema = z.object({
    requests: z.array(chatSchema).min(1).max(ctx.config.limits.maxBatchSize),
  });

  const build = async (
    request: FastifyRequest,
    body: OrchestratorChatBody,
    requestId = request.id,
  ) => {
    const chat = fromOpenAIRequest({ model: body.model ?? 'auto', messages: body.messages });
    const pref =
      body.strategy === undefined
        ? await ctx.store.preferences.get(request.identity.user)
        : undefined;
    const strategy =
      body.strategy ?? (pref?.strategy as OrchestratorChatBody['strategy']) ?? undefined;
    const weights = pref?.weights ?? undefined;
    return orchestratorRequest(
      ctx,
      request.identity,
      {
        ...chat,
        ...(body.system === undefined ? {} : { system: body.system }),
        ...(body.maxTokens === undefined ? {} : { maxTokens: body.maxTokens }),
        ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
        ...(weights ? { weights } : {}),
      },
      {
        model: body.model,
        strategy,
        taskType: body.taskType,
        maxCost: body.maxCost,
        cache: body.cache,
      },
      requestId,
      request.abort.signal,
    );
  };

  app.post(`${BASE}/chat/route`, async (request) => {
    const req = await build(request, parseBody(chatSchema, request.body));
    return { decision: ctx.orchestrator.route(req) };
  });

  app.post(`${BASE}/chat/execute`, async (request) => {
    const req = await build(request, parseBody(chatSchema, request.body));
    try {
      const response = await ctx.orchestrator.process(req);
      recordUsage(ctx, request.id, request.identity.user, { response });
      const { decision, ...rest } = response;
      return { requestId: request.id, response: rest, decision: decision ?? null };
    } catch (error) {
      recordUsage(ctx, request.id, request.identity.user, { error });
      throw error;
    }
  });

  app.post(`${BASE}/chat/stream`, async (request, reply) => {
    const req = await build(request, parseBody(chatSchema, request.body));
    const stream = ctx.orchestrator.stream(req);
    recordStreamUsage(ctx, request.id, request.identity.user, stream);
    const started = await startStream(stream);
    // Events of one tick leave as one write, the first at once with the head.
    const sse = new SseWriter(startSse(reply));
    if (started.decision) await sse.send(sseEvent('decision', started.decision));
    for await (const chunk of chunksOf(started, request.abort.signal)) {
      if (chunk.type === 'error') {
        await sse.send(
          sseEvent('error', errorBody('orchestrator', toApiError(chunk.error), request.id)),
        );
        sse.end();
        return;
      }
      await sse.send(sseEvent('chunk', chunk));
    }
    const record = await stream.response.catch(() => undefined);
    if (record) {
      const { decision: _d, ...rest } = record;
      await sse.send(sseEvent('record', rest));
    }
    sse.end();
  });

  app.post(`${BASE}/batch/submit`, async (request, reply) => {
    const body = parseBody(batchSchema, request.body);
    const stored: StoredBatchRequest[] = [];
    for (const item of body.requests) {
      const { signal: _s, requestId: _r, ...rest } = await build(request, item, 'batch');
      stored.push(rest);
    }
    const id = `batch_${randomUUID().replace(/-/g, '')}`;
    await ctx.store.batches.create(
      { id, user: request.identity.user, total: stored.length, options: {} },
      stored,
    );
    batches.submitted(id);
    reply.code(202);
    return { id, status: 'queued', total: stored.length };
  });

  app.get<{ Params: { id: string } }>(`${BASE}/batch/:id/status`, async (request) => {
    const batch = await ctx.store.batches.get(request.params.id);
    // Another user's batch is reported as missing, not as forbidden: its existence is not theirs to know.
    if (!batch || (batch.user !== request.identity.user && !request.identity.admin))
      throw new ApiError(404, 'batch_not_found', `No batch "${request.params.id}".`, {
        param: 'id',
      });
    const items = await ctx.store.batches.items(batch.id);
    return {
      id: batch.id,
      status: batch.status,
      total: batch.total,
      succeeded: batch.succeeded,
      failed: batch.failed,
      progress: batch.total ? (batch.succeeded + batch.failed) / batch.total : 1,
      results: items.map((i) => ({
        index: i.index,
        status: i.status,
        result: i.result,
        error: i.error,
      })),
    };
  });

  app.get(`${BASE}/analytics/user`, async (request) => {
    const user = request.identity.user;
    // Only the budget figure comes from the shared ledger; the rest is this instance's own
    // history. A ledger that does not answer in time costs the figure, not the answer.
    let budget: UserBudgetStatus | undefined;
    let unavailable = false;
    try {
      budget = await ctx.orchestrator.budgets.status(user);
    } catch (error) {
      unavailable = true;
      request.log.warn({ err: error }, 'budget ledger unavailable: analytics without the budget');
    }
    // The engine's analytics over the status just read (the ledger is asked once).
    const engine = Object.create(ctx.orchestrator, {
      budgets: { value: { status: async () => budget } },
    }) as Orchestrator;
    const analytics = await userAnalytics(engine, user);
    if (!unavailable) return analytics;
    return {
      ...analytics,
      budget: null,
      budgetUnavailable: {
        code: 'budget_unavailable',
        message:
          'The budget ledger did not answer in time: spend against the budget is unknown. Try again shortly.',
      },
    };
  });

  app.get(`${BASE}/analytics/models`, async (request) => {
    const visible = new Set(visibleModels(ctx, request.identity).map((m) => m.name));
    return { models: ctx.orchestrator.modelAnalytics().filter((m) => visible.has(m.model)) };
  });

  app.get(`${BASE}/health`, async () => {
    const summary = ctx.registry.summary();
    const healthy = summary.filter((s) => s.health.breaker !== 'open').length;
    return {
      status:
        summary.length === 0
          ? 'no_models'
          : healthy === 0
            ? 'unhealthy'
            : healthy < summary.length
              ? 'degraded'
              : 'ok',
      models: summary.length,
      healthyModels: healthy,
      storage: ctx.store.kind,
      usageOutbox: ctx.store.usage.outboxStats(),
    };
  });

  app.get(`${BASE}/models/capabilities`, async (request) => ({
    models: visibleModels(ctx, request.identity).map((m) => ({
      name: m.name,
      provider: m.provider,
      capabilities: m.capabilities,
      pricing: m.pricing,
      constraints: m.constraints,
      health: ctx.registry.getModelHealth(m.name),
    })),
  }));

  app.post(`${BASE}/preferences/update`, async (request) => {
    const body = parseBody(preferencesSchema, request.body);
    const saved = await ctx.store.preferences.set(request.identity.user, {
      strategy: body.strategy ?? null,
      weights: body.weights ? compact(body.weights) : null,
    });
    return {
      user: saved.user,
      strategy: saved.strategy,
      weights: saved.weights,
      updatedAt: saved.updatedAt.toISOString(),
    };
  });

  app.post(`${BASE}/feedback`, async (request) => {
    const body = parseBody(feedbackSchema, request.body);
    const rows = await ctx.store.usage.query({ user: request.identity.user, limit: 10_000 });
    const mine = rows.find((r) => r.requestId === body.requestId && r.outcome === 'success');
    if (!mine)
      throw new ApiError(404, 'request_not_found', 'No completed request of yours has that id.', {
        param: 'requestId',
      });
    const applied = ctx.orchestrator.feedback(body.requestId, body.score);
    await ctx.store.feedback.record({
      requestId: body.requestId,
      user: request.identity.user,
      model: mine.model,
      score: body.score,
      comment: body.comment ?? null,
    });
    return { recorded: true, appliedToLearner: applied };
  });
}

function compact<T extends Record<string, number | undefined>>(
  o: T,
): { cost?: number; speed?: number; quality?: number } {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
