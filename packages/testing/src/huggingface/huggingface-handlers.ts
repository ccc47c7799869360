import type { RequestContext } from '../fake-server.js';
import type { FaultScript } from '../fault-script.js';
import { type LineEnding, sendJson, sseEvent, writeStreamBody } from '../write-stream.js';
import {
  chatAnswer,
  chatCompletionChunks,
  chatCompletionJson,
} from './huggingface-chat-payloads.js';
import { type ErrorShape, errorBody } from './huggingface-error-body.js';
import {
  completionChunks,
  completionJson,
  featureExtractionJson,
  generateJson,
  generateStreamEvents,
  generationAnswer,
  guessHubTask,
  type HubTask,
  hubModelJson,
} from './huggingface-generation-payloads.js';

/** What the handlers need from the server's options. */
export interface HandlerEnv {
  readonly servedModel: string;
  readonly lineEnding: LineEnding;
  readonly toolArgumentsAsObject: boolean;
  readonly dimensions: number;
  readonly tasks: Readonly<Record<string, HubTask>>;
}

export function sse(env: HandlerEnv, data: unknown): string {
  return sseEvent(data, undefined, env.lineEnding);
}

export function streamEvents(
  env: HandlerEnv,
  res: RequestContext['res'],
  events: string[],
  script: FaultScript | undefined,
  requestId: string,
) {
  const le = env.lineEnding;
  return writeStreamBody(res, events, script, {
    contentType: 'text/event-stream',
    keepAlive: `:${le}${le}`,
    malformed: `data: {"choices":[{"delta":{"content":"trunc${le}${le}`,
    headers: { 'x-request-id': requestId },
  });
}

/** Chat completion, plain or SSE (TGI's chunk sequence, `[DONE]` last). */
export async function replyChat(
  env: HandlerEnv,
  ctx: RequestContext,
  script: FaultScript | undefined,
  requestId: string,
  shape: ErrorShape,
) {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  if (!Array.isArray(body.messages)) {
    const message =
      'Failed to deserialize the JSON body into the target type: missing field `messages`';
    return sendJson(ctx.res, 422, errorBody(422, '', shape, { errorMessage: message }), script);
  }
  const model = ctx.model ?? env.servedModel;
  const answer = chatAnswer(body, model, script, ctx.profile);
  const id = shape === 'tgi' ? '' : `chatcmpl-${requestId}`;
  if (body.stream !== true) {
    const json = chatCompletionJson(answer, id, env.toolArgumentsAsObject);
    return sendJson(ctx.res, 200, json, script, { 'x-request-id': requestId });
  }
  const includeUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const events = script?.overloadedEvent
    ? [sse(env, { error: 'Model is overloaded', error_type: 'overloaded' })]
    : [
        ...chatCompletionChunks(answer, id, includeUsage).map((c) => sse(env, c)),
        sse(env, '[DONE]'),
      ];
  return streamEvents(env, ctx.res, events, script, requestId);
}

/** `/v1/completions`: what the SDK's textGeneration calls on TGI and hf-inference. */
export async function replyCompletions(
  env: HandlerEnv,
  ctx: RequestContext,
  script: FaultScript | undefined,
  requestId: string,
) {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const prompt = Array.isArray(body.prompt) ? body.prompt.join('\n') : String(body.prompt ?? '');
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
  const answer = generationAnswer(
    prompt,
    maxTokens,
    ctx.model ?? env.servedModel,
    script,
    ctx.profile,
  );
  if (body.stream !== true) {
    return sendJson(ctx.res, 200, completionJson(answer), script, { 'x-request-id': requestId });
  }
  const includeUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const events = [
    ...completionChunks(answer, includeUsage).map((c) => sse(env, c)),
    sse(env, '[DONE]'),
  ];
  return streamEvents(env, ctx.res, events, script, requestId);
}

/** TGI's native `/generate` and `/generate_stream`. */
export async function replyGenerate(
  env: HandlerEnv,
  ctx: RequestContext,
  script: FaultScript | undefined,
  requestId: string,
  streamed: boolean,
  root = false,
) {
  const body = (ctx.request.body ?? {}) as {
    inputs?: unknown;
    parameters?: Record<string, unknown>;
  };
  const parameters = body.parameters ?? {};
  const maxTokens = typeof parameters.max_new_tokens === 'number' ? parameters.max_new_tokens : 100;
  const seed = typeof parameters.seed === 'number' ? parameters.seed : undefined;
  const answer = generationAnswer(
    String(body.inputs ?? ''),
    maxTokens,
    env.servedModel,
    script,
    ctx.profile,
  );
  if (streamed) {
    const events = generateStreamEvents(answer, seed).map((e) => sse(env, e));
    return streamEvents(env, ctx.res, events, script, requestId);
  }
  const json = generateJson(answer, parameters.details === true, seed);
  // The root route answers as the pipeline does: a list of generations.
  return sendJson(ctx.res, 200, root ? [json] : json, script, { 'x-request-id': requestId });
}

/** Feature extraction: one vector per text. */
export async function replyFeatures(
  env: HandlerEnv,
  ctx: RequestContext,
  script: FaultScript | undefined,
  requestId: string,
) {
  const body = (ctx.request.body ?? {}) as { inputs?: unknown; dimensions?: unknown };
  const width =
    typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : env.dimensions;
  const vectors = featureExtractionJson(body.inputs, Math.min(width, env.dimensions));
  if (vectors === undefined) {
    const message = 'Input validation error: `inputs` must be a string or a list of strings';
    return sendJson(ctx.res, 422, errorBody(422, '', 'tgi', { errorMessage: message }), script);
  }
  return sendJson(ctx.res, 200, vectors, script, { 'x-request-id': requestId });
}

/** The Hub's model info with its Inference Providers mapping. */
export async function replyHubModel(env: HandlerEnv, ctx: RequestContext) {
  const model = ctx.params.rest ?? '';
  const script = ctx.script;
  if (script?.status !== undefined && script.status >= 400) {
    return sendJson(
      ctx.res,
      script.status,
      script.body ?? { error: script.errorMessage ?? 'Repository not found' },
      script,
    );
  }
  const task = env.tasks[model] ?? guessHubTask(model);
  return sendJson(ctx.res, 200, hubModelJson(model, task), script);
}
