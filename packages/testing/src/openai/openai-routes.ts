import { sendJson, writeStreamBody } from '../write-stream.js';
import type { FakeOpenAIServer, OpenAIRequestContext } from './fake-openai-server.js';
import { answerChat, asJson } from './openai-chat-answer.js';
import { buildChunks, buildCompletion, sseData } from './openai-chat-payloads.js';
import { buildEmbeddingResponse } from './openai-embeddings.js';
import { asOpenAIScript } from './openai-fault-script.js';
import {
  buildAudioResponse,
  buildImagesResponse,
  parseAudioForm,
  TINY_PNG_BASE64,
} from './openai-media.js';
import { validateChatRequest } from './validate-chat-request.js';

/** Ids `GET /models` lists unless the server is told otherwise. */
export const DEFAULT_OPENAI_MODELS: readonly string[] = [
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-4o',
  'gpt-4o-mini',
  'o3',
  'o3-mini',
  'o4-mini',
  'o1',
  'gpt-4-turbo',
  'gpt-4',
  'gpt-3.5-turbo',
  'text-embedding-3-small',
  'text-embedding-3-large',
  'text-embedding-ada-002',
  'dall-e-3',
  'gpt-image-1',
  'whisper-1',
  'gpt-4o-transcribe',
];

const SYSTEM_FINGERPRINT = 'fp_fake0a1b2c';

/** Registers the OpenAI REST routes on the server, under its prefix. */
export function registerOpenAIRoutes(server: FakeOpenAIServer): void {
  server.apiRoute('POST', '/chat/completions', (ctx) => chatCompletions(server, ctx));
  server.apiRoute('POST', '/embeddings', async (ctx) => {
    const result = buildEmbeddingResponse(ctx.request.body, ctx.model ?? 'text-embedding-3-small');
    if (result.status !== 200) return server.sendError(ctx, result.error, ctx.effectiveScript);
    return sendJson(ctx.res, 200, result.body, ctx.effectiveScript, ctx.responseHeaders);
  });
  server.apiRoute('GET', '/models', (ctx) => {
    const data = server.listedModels().map(modelObject);
    return sendJson(
      ctx.res,
      200,
      { object: 'list', data },
      ctx.effectiveScript,
      ctx.responseHeaders,
    );
  });
  server.apiRoute('GET', '/models/:model', (ctx) => {
    const id = ctx.params.model ?? '';
    if (!server.listedModels().includes(id)) {
      return server.sendError(ctx, {
        status: 404,
        code: 'model_not_found',
        message: `The model '${id}' does not exist`,
      });
    }
    return sendJson(ctx.res, 200, modelObject(id), ctx.effectiveScript, ctx.responseHeaders);
  });
  server.apiRoute('POST', '/images/generations', (ctx) => {
    const result = buildImagesResponse(
      ctx.request.body,
      (i) => `${server.baseURL}/images/files/img-${ctx.responseHeaders['x-request-id']}-${i}.png`,
      Date.now(),
    );
    if (result.status !== 200) return server.sendError(ctx, result.error, ctx.effectiveScript);
    return sendJson(ctx.res, 200, result.body, ctx.effectiveScript, ctx.responseHeaders);
  });
  // Image URLs are public (signed blob URLs on the real service): no auth.
  server.route('GET', `${server.prefix}/images/files/:file`, (ctx) => {
    const png = Buffer.from(TINY_PNG_BASE64, 'base64');
    ctx.res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    ctx.res.end(png);
  });
  for (const task of ['transcribe', 'translate'] as const) {
    const path = task === 'transcribe' ? '/audio/transcriptions' : '/audio/translations';
    server.apiRoute('POST', path, async (ctx) => {
      const form = await parseAudioForm(
        ctx.request.rawBody,
        String(ctx.request.headers['content-type'] ?? ''),
      );
      if (!form) {
        return server.sendError(ctx, {
          status: 400,
          param: 'file',
          message: "Could not parse multipart form: 'file' and 'model' are required.",
        });
      }
      const result = buildAudioResponse(form, task, ctx.effectiveScript?.text);
      if (result.status !== 200) return server.sendError(ctx, result.error, ctx.effectiveScript);
      const headers = result.contentType
        ? { ...ctx.responseHeaders, 'content-type': result.contentType }
        : ctx.responseHeaders;
      return sendJson(ctx.res, 200, result.body, ctx.effectiveScript, headers);
    });
  }
}

async function chatCompletions(server: FakeOpenAIServer, ctx: OpenAIRequestContext): Promise<void> {
  const script = asOpenAIScript(ctx.effectiveScript);
  const invalid = validateChatRequest(ctx.request.body);
  if (invalid) return server.sendError(ctx, invalid, script);
  const body = asJson(ctx.request.body);
  const model = String(body.model);
  if (server.rejectsUnknownModels() && !server.listedModels().includes(model)) {
    return server.sendError(ctx, {
      status: 404,
      code: 'model_not_found',
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
    });
  }
  const answer = answerChat(body, model, script, ctx.profile);
  const meta = {
    id: `chatcmpl-${ctx.responseHeaders['x-request-id']?.slice(-12)}`,
    model,
    created: Math.floor(Date.now() / 1000),
    systemFingerprint: SYSTEM_FINGERPRINT,
  };
  if (body.stream !== true) {
    const completion = buildCompletion(answer, meta);
    server.decorateCompletion(completion);
    return sendJson(ctx.res, 200, completion, script, ctx.responseHeaders);
  }

  const lineEnding = script?.lineEnding ?? '\n';
  const includeUsage = asJson(body.stream_options).include_usage === true;
  const events = server
    .decorateChunks(buildChunks(answer, meta, includeUsage))
    .map((chunk) => sseData(chunk, lineEnding));
  const errorEvent = (status: number, code?: string) =>
    sseData(
      server.errorBody({ status, code: code ?? script?.errorType, message: script?.errorMessage }),
      lineEnding,
    );
  // An in-band error replaces the rest of the stream, `[DONE]` included.
  const failure = script?.overloadedEvent
    ? { after: 0, event: errorEvent(503, script.errorType ?? 'overloaded') }
    : script?.errorEventAt !== undefined
      ? { after: script.errorEventAt, event: errorEvent(500) }
      : undefined;
  await writeStreamBody(ctx.res, [...events, sseData('[DONE]', lineEnding)], script, {
    errorEvent: failure,
    contentType: 'text/event-stream; charset=utf-8',
    keepAlive: `: keep-alive${lineEnding}${lineEnding}`,
    malformed: `data: {"id":"chatcmpl-broken","choices":[{"delta":{"content":"tru${lineEnding}${lineEnding}`,
    headers: ctx.responseHeaders,
  });
}

function modelObject(id: string): Record<string, unknown> {
  return {
    id,
    object: 'model',
    created: 1_715_367_049,
    owned_by: id.startsWith('gpt-') || /^o\d/.test(id) ? 'system' : 'openai-internal',
  };
}
