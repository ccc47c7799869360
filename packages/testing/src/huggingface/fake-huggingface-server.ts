import {
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
} from '../fake-server.js';
import type { FaultScript } from '../fault-script.js';
import { scriptFromProfile } from '../model-profile.js';
import { hang, sendJson, writeStreamBody } from '../write-stream.js';
import {
  chatAnswer,
  chatCompletionChunks,
  chatCompletionJson,
} from './huggingface-chat-payloads.js';
import { type ErrorShape, errorBody, loadingBody } from './huggingface-error-body.js';
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
  tgiInfoJson,
} from './huggingface-generation-payloads.js';

export interface FakeHuggingFaceServerOptions extends FakeServerOptions {
  /** The model a dedicated endpoint serves: reported by `/info` and when a request names none. */
  readonly servedModel?: string;
  /** Line ending of SSE streams; `\r\n` exercises parsers against CRLF. */
  readonly lineEnding?: '\n' | '\r\n';
  /** Send tool-call arguments as JSON objects, as TGI 2.x did, instead of strings. */
  readonly toolArgumentsAsObject?: boolean;
  /** Width of the embedding vectors (default 384, as all-MiniLM-L6-v2). */
  readonly embeddingDimensions?: number;
  /** Task of a model in the Hub's provider mapping; guessed from the id otherwise. */
  readonly tasks?: Readonly<Record<string, HubTask>>;
}

interface LoadingState {
  readonly until?: number;
  remaining?: number;
  readonly estimatedTimeSec?: number;
}

type Handler = (
  ctx: RequestContext,
  script: FaultScript | undefined,
  requestId: string,
) => Promise<void>;

/**
 * A loopback server speaking what `@huggingface/inference` calls: a dedicated
 * Inference Endpoint / TGI server (`/v1/chat/completions`, `/v1/completions`,
 * `/generate`, `/generate_stream`, `POST /` for feature extraction, `/health`,
 * `/info`), the Inference Providers router paths (`/v1/chat/completions`,
 * `/{provider}/v1/chat/completions`, `/hf-inference/models/{id}/…`) and the
 * Hub's provider mapping (`/api/models/{id}`). A cold model answers 503
 * `{"error":"Model … is currently loading","estimated_time":…}`: script it
 * with `loadingFor(ms)`, `loadingForRequests(n)` or `loadingScript()`.
 */
export class FakeHuggingFaceServer extends FakeServer {
  /** How many 503 "is currently loading" replies were sent. */
  loadingReplies = 0;
  readonly servedModel: string;
  private readonly lineEnding: string;
  private readonly toolArgumentsAsObject: boolean;
  private readonly dimensions: number;
  private readonly tasks: Readonly<Record<string, HubTask>>;
  /** Paths of requests whose client went away before the reply was complete. */
  readonly clientAborts: string[] = [];
  private loading: LoadingState | undefined;
  private counter = 0;
  private abortWaiters: ((path: string) => void)[] = [];

  constructor(options: FakeHuggingFaceServerOptions = {}) {
    super(options);
    this.servedModel = options.servedModel ?? 'meta-llama/Llama-3.1-8B-Instruct';
    this.lineEnding = options.lineEnding ?? '\n';
    this.toolArgumentsAsObject = options.toolArgumentsAsObject ?? false;
    this.dimensions = options.embeddingDimensions ?? 384;
    this.tasks = options.tasks ?? {};

    this.route(
      'GET',
      '/health',
      this.serve('tgi', async ({ res }, script) => {
        if (script?.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      }),
    );
    this.route(
      'GET',
      '/info',
      this.serve('tgi', (ctx, script, id) =>
        sendJson(ctx.res, 200, tgiInfoJson(this.servedModel), script, { 'x-request-id': id }),
      ),
    );
    this.route('GET', '/api/models/*', (ctx) => this.hubModel(ctx));

    const chat = (shape: ErrorShape) =>
      this.serve(shape, (ctx, script, id) => this.chat(ctx, script, id, shape));
    this.route('POST', '/v1/chat/completions', chat('tgi'));
    this.route('POST', '/hf-inference/models/*/v1/chat/completions', chat('tgi'));

    const completions = this.serve('tgi', (ctx, script, id) => this.completions(ctx, script, id));
    this.route('POST', '/v1/completions', completions);
    this.route('POST', '/hf-inference/models/*/v1/completions', completions);

    this.route(
      'POST',
      '/generate',
      this.serve('tgi', (ctx, script, id) => this.generate(ctx, script, id, false)),
    );
    this.route(
      'POST',
      '/generate_stream',
      this.serve('tgi', (ctx, script, id) => this.generate(ctx, script, id, true)),
    );

    const features = this.serve('tgi', (ctx, script, id) => this.features(ctx, script, id));
    this.route('POST', '/hf-inference/models/*/pipeline/feature-extraction', features);
    this.route('POST', '/embed', features);
    // A dedicated endpoint's root runs its pipeline: TGI's generate, or feature extraction.
    this.route(
      'POST',
      '/',
      this.serve('tgi', (ctx, script, id) => {
        const body = (ctx.request.body ?? {}) as { parameters?: unknown; stream?: unknown };
        if (body.parameters !== undefined || body.stream !== undefined) {
          return this.generate(ctx, script, id, body.stream === true, true);
        }
        return this.features(ctx, script, id);
      }),
    );
    // Third-party providers behind the router each have their own path (`/together/v1/chat/completions`,
    // `/novita/v3/openai/chat/completions`, …): any path ending in chat/completions or completions.
    this.route(
      'POST',
      '/:provider/*',
      this.serve('openai', (ctx, script, id) => {
        const path = ctx.request.path;
        if (path.endsWith('/chat/completions')) return this.chat(ctx, script, id, 'openai');
        if (path.endsWith('/completions')) return this.completions(ctx, script, id);
        return sendJson(
          ctx.res,
          404,
          errorBody(404, ctx.model ?? '', 'openai', { errorMessage: `No route for ${path}` }),
          script,
        );
      }),
    );
  }

  /**
   * Answer every inference request with the 503 loading reply for the next
   * `ms` milliseconds. Loading replies take precedence over queued scripts,
   * which wait (requeued) for the first request served after the load.
   */
  loadingFor(ms: number, options: { estimatedTimeSec?: number } = {}): this {
    this.loading = { until: Date.now() + ms, ...options };
    return this;
  }

  /** Answer the next `count` inference requests with the 503 loading reply. */
  loadingForRequests(count: number, options: { estimatedTimeSec?: number } = {}): this {
    this.loading = { remaining: count, ...options };
    return this;
  }

  /** The model is loaded: stop sending loading replies. */
  stopLoading(): this {
    this.loading = undefined;
    return this;
  }

  protected override modelOf(
    request: RecordedRequest,
    params: Readonly<Record<string, string>>,
  ): string | undefined {
    const body = request.body as { model?: unknown } | undefined;
    if (typeof body?.model === 'string' && !/^https?:\/\//.test(body.model)) return body.model;
    return params.rest ?? params.model ?? this.servedModel;
  }

  /** Resolves with the path of the next request whose client closes the connection before the reply ends. */
  nextClientAbort(): Promise<string> {
    return new Promise((resolve) => this.abortWaiters.push(resolve));
  }

  private watchClose(ctx: RequestContext): void {
    ctx.res.on('close', () => {
      if (ctx.res.writableFinished) return;
      this.clientAborts.push(ctx.request.path);
      const waiters = this.abortWaiters;
      this.abortWaiters = [];
      for (const resolve of waiters) resolve(ctx.request.path);
    });
  }

  /** Wraps a handler with what every inference route shares: loading replies, faults, profiles. */
  private serve(shape: ErrorShape, handler: Handler) {
    return async (ctx: RequestContext): Promise<void> => {
      const requestId = `fake-hf-${++this.counter}`;
      if (await this.replyLoading(ctx, requestId)) return;
      const script = ctx.script ?? scriptFromProfile(ctx.profile, this.random);
      // A cut the script asked for is the server's doing, not the client's.
      if (script?.cutAfterChunks === undefined) this.watchClose(ctx);
      if (script?.hang) return hang(ctx.res);
      const model = ctx.model ?? this.servedModel;
      if (script?.status !== undefined && script.status >= 400) {
        return sendJson(
          ctx.res,
          script.status,
          script.body ?? errorBody(script.status, model, shape, script),
          script,
          {
            'x-request-id': requestId,
          },
        );
      }
      if (script?.body !== undefined) {
        return sendJson(ctx.res, script.status ?? 200, script.body, script, {
          'x-request-id': requestId,
        });
      }
      await handler(ctx, script, requestId);
    };
  }

  private async replyLoading(ctx: RequestContext, requestId: string): Promise<boolean> {
    const state = this.loading;
    if (!state) return false;
    const now = Date.now();
    if (
      (state.until !== undefined && now >= state.until) ||
      (state.remaining !== undefined && state.remaining <= 0)
    ) {
      this.loading = undefined;
      return false;
    }
    if (state.remaining !== undefined) state.remaining--;
    // The base server handed this request a queued script; a loading reply does not use it, so requeue it.
    if (ctx.script) this.enqueue({ ...ctx.script, times: 1 });
    const estimate =
      state.estimatedTimeSec ?? (state.until === undefined ? 20 : (state.until - now) / 1000);
    this.loadingReplies++;
    const model = ctx.model ?? this.servedModel;
    await sendJson(
      ctx.res,
      503,
      loadingBody(model, Math.round(estimate * 1000) / 1000),
      undefined,
      {
        'x-request-id': requestId,
      },
    );
    return true;
  }

  private sse(data: unknown): string {
    const le = this.lineEnding;
    return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}${le}${le}`;
  }

  private stream(
    res: RequestContext['res'],
    events: string[],
    script: FaultScript | undefined,
    requestId: string,
  ) {
    const le = this.lineEnding;
    return writeStreamBody(res, events, script, {
      contentType: 'text/event-stream',
      keepAlive: `:${le}${le}`,
      malformed: `data: {"choices":[{"delta":{"content":"trunc${le}${le}`,
      headers: { 'x-request-id': requestId },
    });
  }

  private async chat(
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
    const model = ctx.model ?? this.servedModel;
    const answer = chatAnswer(body, model, script, ctx.profile);
    const id = shape === 'tgi' ? '' : `chatcmpl-${requestId}`;
    if (body.stream !== true) {
      const json = chatCompletionJson(answer, id, this.toolArgumentsAsObject);
      return sendJson(ctx.res, 200, json, script, { 'x-request-id': requestId });
    }
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const events = script?.overloadedEvent
      ? [this.sse({ error: 'Model is overloaded', error_type: 'overloaded' })]
      : [
          ...chatCompletionChunks(answer, id, includeUsage).map((c) => this.sse(c)),
          this.sse('[DONE]'),
        ];
    return this.stream(ctx.res, events, script, requestId);
  }

  private async completions(
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
      ctx.model ?? this.servedModel,
      script,
      ctx.profile,
    );
    if (body.stream !== true) {
      return sendJson(ctx.res, 200, completionJson(answer), script, { 'x-request-id': requestId });
    }
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const events = [
      ...completionChunks(answer, includeUsage).map((c) => this.sse(c)),
      this.sse('[DONE]'),
    ];
    return this.stream(ctx.res, events, script, requestId);
  }

  private async generate(
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
    const maxTokens =
      typeof parameters.max_new_tokens === 'number' ? parameters.max_new_tokens : 100;
    const seed = typeof parameters.seed === 'number' ? parameters.seed : undefined;
    const answer = generationAnswer(
      String(body.inputs ?? ''),
      maxTokens,
      this.servedModel,
      script,
      ctx.profile,
    );
    if (streamed) {
      const events = generateStreamEvents(answer, seed).map((e) => this.sse(e));
      return this.stream(ctx.res, events, script, requestId);
    }
    const json = generateJson(answer, parameters.details === true, seed);
    // The root route answers as the pipeline does: a list of generations.
    return sendJson(ctx.res, 200, root ? [json] : json, script, { 'x-request-id': requestId });
  }

  private async features(ctx: RequestContext, script: FaultScript | undefined, requestId: string) {
    const body = (ctx.request.body ?? {}) as { inputs?: unknown; dimensions?: unknown };
    const width =
      typeof body.dimensions === 'number' && body.dimensions > 0
        ? body.dimensions
        : this.dimensions;
    const vectors = featureExtractionJson(body.inputs, Math.min(width, this.dimensions));
    if (vectors === undefined) {
      const message = 'Input validation error: `inputs` must be a string or a list of strings';
      return sendJson(ctx.res, 422, errorBody(422, '', 'tgi', { errorMessage: message }), script);
    }
    return sendJson(ctx.res, 200, vectors, script, { 'x-request-id': requestId });
  }

  private async hubModel(ctx: RequestContext) {
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
    const task = this.tasks[model] ?? guessHubTask(model);
    return sendJson(ctx.res, 200, hubModelJson(model, task), script);
  }
}
