import {
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
} from '../fake-server.js';
import { scriptFromProfile } from '../model-profile.js';
import { hashString } from '../seeded-random.js';
import { countTokens } from '../simulated-text.js';
import { hang, sendJson, writeStreamBody } from '../write-stream.js';
import { fullResponse, planAnswer, streamChunks } from './gemini-answer.js';
import { GEMINI_CATALOG, type GeminiModelInfo } from './gemini-catalog.js';
import { answerEmbedding } from './gemini-embeddings.js';
import {
  googleErrorBody,
  googleStatusName,
  invalidKeyBody,
  missingKeyBody,
  modelNotFoundBody,
  rateLimitDetails,
} from './gemini-errors.js';
import { type GeminiFaultScript, type GeminiGenerateBody, requestText } from './gemini-request.js';

export interface FakeGeminiServerOptions extends FakeServerOptions {
  /** When set, every request must carry this key (`x-goog-api-key` header or `?key=`). */
  readonly apiKey?: string;
  /** The models `GET /v1beta/models` lists (default: current Gemini ids). */
  readonly models?: readonly GeminiModelInfo[];
  /** Answer 404 to generation on models not in `models` (default: any model id works). */
  readonly strictModels?: boolean;
  /** Line ending of the SSE stream; the real API uses CRLF. */
  readonly lineEnding?: '\r\n' | '\n';
}

type Json = Readonly<Record<string, unknown>>;

/** A request as it arrives, and when its connection closed. */
export interface GeminiArrivedRequest {
  readonly request: RecordedRequest;
  /** Settles when the response is done or the connection drops; `completed` is false for a drop. */
  readonly closed: Promise<{ readonly completed: boolean }>;
}

/**
 * The Gemini Developer API on loopback, as `@google/genai` calls it:
 * `models/{model}:generateContent`, `:streamGenerateContent?alt=sse`,
 * `:embedContent`, `:batchEmbedContents`, `:countTokens`, and the model
 * listing. Errors come in Google's shape, 429s with RetryInfo.
 */
export class FakeGeminiServer extends FakeServer {
  private readonly geminiOptions: FakeGeminiServerOptions;
  private responseCounter = 0;
  private readonly waiters: {
    path: string | undefined;
    resolve: (arrived: GeminiArrivedRequest) => void;
  }[] = [];

  constructor(options: FakeGeminiServerOptions = {}) {
    super(options);
    this.geminiOptions = options;
    for (const version of ['v1beta', 'v1']) {
      const base = `/${version}/models`;
      this.route('POST', `${base}/:model:generateContent`, (ctx) => this.generate(ctx, false));
      this.route('POST', `${base}/:model:streamGenerateContent`, (ctx) => this.generate(ctx, true));
      this.route('POST', `${base}/:model:embedContent`, (ctx) => this.embed(ctx, false));
      this.route('POST', `${base}/:model:batchEmbedContents`, (ctx) => this.embed(ctx, true));
      this.route('POST', `${base}/:model:countTokens`, (ctx) => this.countTokens(ctx));
      this.route('GET', base, (ctx) => this.listModels(ctx));
      this.route('GET', `${base}/:model`, (ctx) => this.getModel(ctx));
    }
  }

  /** Queue scripts, Gemini knobs included. */
  override enqueue(...scripts: GeminiFaultScript[]): this {
    return super.enqueue(...scripts);
  }

  /**
   * Resolves when the next request (whose path starts with `path`) reaches a
   * route, so a test can act at that moment (abort it, say) and then await
   * the connection closing.
   */
  nextRequest(path?: string): Promise<GeminiArrivedRequest> {
    return new Promise((resolve) => this.waiters.push({ path, resolve }));
  }

  get models(): readonly GeminiModelInfo[] {
    return this.geminiOptions.models ?? GEMINI_CATALOG;
  }

  private get lineEnding(): string {
    return this.geminiOptions.lineEnding ?? '\r\n';
  }

  private async generate(ctx: RequestContext, streaming: boolean): Promise<void> {
    const script = await this.prelude(ctx, true);
    if (script === false) return;
    const body = (ctx.request.body ?? {}) as GeminiGenerateBody;
    const model = ctx.params.model ?? 'unknown';
    if (this.geminiOptions.strictModels && !this.findModel(model)) {
      return sendJson(
        ctx.res,
        404,
        modelNotFoundBody(model, streaming ? 'streamGenerateContent' : 'generateContent'),
      );
    }
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      return sendJson(
        ctx.res,
        400,
        googleErrorBody(400, {
          message: '* GenerateContentRequest.contents: contents is not specified\n',
        }),
      );
    }
    const answer = planAnswer(body, model, script, ctx.profile, this.nextResponseId());
    if (!streaming) return sendJson(ctx.res, 200, fullResponse(answer), script);

    const le = this.lineEnding;
    const sse = (data: unknown) => `data: ${JSON.stringify(data)}${le}${le}`;
    let events = streamChunks(answer).map(sse);
    if (script?.overloadedEvent)
      events = [sse(googleErrorBody(503, { message: script.errorMessage }))];
    if (script?.errorEventAfter !== undefined) {
      events = [
        ...events.slice(0, script.errorEventAfter),
        sse(googleErrorBody(500, { message: script.errorMessage })),
      ];
    }
    const chunkDelayMs = ctx.profile.tokensPerSecond > 0 ? 1000 / ctx.profile.tokensPerSecond : 0;
    await writeStreamBody(ctx.res, events, script, {
      contentType: 'text/event-stream',
      keepAlive: `: keep-alive${le}${le}`,
      malformed: `data: {"candidates": [{"content": {"parts": [{"text": "unterminated${le}${le}`,
      defaultChunkDelayMs: chunkDelayMs,
      headers: { 'x-content-type-options': 'nosniff' },
    });
  }

  private async embed(ctx: RequestContext, batch: boolean): Promise<void> {
    const script = await this.prelude(ctx, true);
    if (script === false) return;
    const answer = answerEmbedding(ctx.request.body, ctx.params.model ?? 'unknown', batch);
    return sendJson(
      ctx.res,
      answer.status,
      answer.body,
      answer.status === 200 ? script : undefined,
    );
  }

  private async countTokens(ctx: RequestContext): Promise<void> {
    const script = await this.prelude(ctx, false);
    if (script === false) return;
    const body = (ctx.request.body ?? {}) as GeminiGenerateBody & {
      generateContentRequest?: GeminiGenerateBody;
    };
    const total = countTokens(requestText(body.generateContentRequest ?? body));
    return sendJson(
      ctx.res,
      200,
      { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] },
      script,
    );
  }

  private async listModels(ctx: RequestContext): Promise<void> {
    const script = await this.prelude(ctx, false);
    if (script === false) return;
    const size = Math.max(1, Math.min(1000, Number(ctx.request.query.get('pageSize')) || 50));
    const offset = Number(ctx.request.query.get('pageToken')) || 0;
    const page = this.models.slice(offset, offset + size);
    const next = offset + size < this.models.length ? String(offset + size) : undefined;
    return sendJson(
      ctx.res,
      200,
      { models: page, ...(next === undefined ? {} : { nextPageToken: next }) },
      script,
    );
  }

  private async getModel(ctx: RequestContext): Promise<void> {
    const script = await this.prelude(ctx, false);
    if (script === false) return;
    const model = ctx.params.model ?? '';
    const info = this.findModel(model);
    if (!info) return sendJson(ctx.res, 404, modelNotFoundBody(model, 'get'), script);
    return sendJson(ctx.res, 200, info, script);
  }

  /**
   * Checks the key and applies the request's script (or, for generation and
   * embeddings, one drawn from the model's profile). Returns `false` when the
   * response was already sent (an error or a hang).
   */
  private async prelude(
    ctx: RequestContext,
    profiled: boolean,
  ): Promise<GeminiFaultScript | undefined | false> {
    this.announce(ctx);
    const expected = this.geminiOptions.apiKey;
    if (expected !== undefined) {
      const header = ctx.request.headers['x-goog-api-key'];
      const key =
        (Array.isArray(header) ? header[0] : header) ?? ctx.request.query.get('key') ?? undefined;
      if (!key) {
        await sendJson(ctx.res, 403, missingKeyBody());
        return false;
      }
      if (key !== expected) {
        await sendJson(ctx.res, 400, invalidKeyBody());
        return false;
      }
    }
    const script: GeminiFaultScript | undefined =
      ctx.script ?? (profiled ? scriptFromProfile(ctx.profile, this.random) : undefined);
    if (script?.hang) {
      await hang(ctx.res);
      return false;
    }
    if (script?.status !== undefined && script.status >= 400) {
      await sendJson(
        ctx.res,
        script.status,
        script.body ?? this.errorBody(script, ctx.model),
        script,
      );
      return false;
    }
    if (script?.status !== undefined && script.body !== undefined) {
      await sendJson(ctx.res, script.status, script.body, script);
      return false;
    }
    return script;
  }

  private announce(ctx: RequestContext): void {
    const index = this.waiters.findIndex(
      (w) => w.path === undefined || ctx.request.path.startsWith(w.path),
    );
    if (index === -1) return;
    const [waiter] = this.waiters.splice(index, 1);
    const { res } = ctx;
    const closed = new Promise<{ completed: boolean }>((resolve) => {
      if (res.closed) resolve({ completed: res.writableFinished });
      else res.once('close', () => resolve({ completed: res.writableFinished }));
    });
    waiter!.resolve({ request: ctx.request, closed });
  }

  private errorBody(script: GeminiFaultScript, model: string | undefined): Json {
    const status = script.status ?? 500;
    let details: Json[] | undefined;
    if (status === 429) {
      const header = Object.entries(script.headers ?? {}).find(
        ([k]) => k.toLowerCase() === 'retry-after',
      )?.[1];
      const delay =
        script.retryDelay ?? (header && /^\d+(\.\d+)?$/.test(header) ? `${header}s` : '3s');
      details = rateLimitDetails(model, delay, script.quotaId);
    }
    return googleErrorBody(status, {
      message: script.errorMessage,
      status: script.errorType ?? googleStatusName(status),
      ...(details === undefined ? {} : { details }),
    });
  }

  private findModel(model: string): GeminiModelInfo | undefined {
    return this.models.find((m) => m.name === `models/${model}`);
  }

  private nextResponseId(): string {
    this.responseCounter += 1;
    return `fake-${hashString(`gemini-${this.responseCounter}`).toString(36)}${this.responseCounter.toString(36)}`;
  }
}
