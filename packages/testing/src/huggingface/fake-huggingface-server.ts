import {
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
  type RouteHandler,
} from '../fake-server.js';
import type { FaultScript } from '../fault-script.js';
import { scriptFromProfile } from '../model-profile.js';
import { sendJson, sendScriptedAnswer } from '../write-stream.js';
import { type ErrorShape, errorBody, loadingBody } from './huggingface-error-body.js';
import { type HubTask, tgiInfoJson } from './huggingface-generation-payloads.js';
import {
  type HandlerEnv,
  replyChat,
  replyCompletions,
  replyFeatures,
  replyGenerate,
  replyHubModel,
} from './huggingface-handlers.js';

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
  private readonly env: HandlerEnv;
  /** Paths of requests whose client went away before the reply was complete. */
  readonly clientAborts: string[] = [];
  private loading: LoadingState | undefined;
  private counter = 0;

  constructor(options: FakeHuggingFaceServerOptions = {}) {
    super(options);
    this.servedModel = options.servedModel ?? 'meta-llama/Llama-3.1-8B-Instruct';
    this.env = {
      servedModel: this.servedModel,
      lineEnding: options.lineEnding ?? '\n',
      toolArgumentsAsObject: options.toolArgumentsAsObject ?? false,
      dimensions: options.embeddingDimensions ?? 384,
      tasks: options.tasks ?? {},
    };
    this.events.on('client-closed', (request: RecordedRequest) =>
      this.clientAborts.push(request.path),
    );

    this.inference(
      'GET',
      '/health',
      this.serve('tgi', async ({ res }, script) => {
        if (script?.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      }),
    );
    this.inference(
      'GET',
      '/info',
      this.serve('tgi', (ctx, script, id) =>
        sendJson(ctx.res, 200, tgiInfoJson(this.servedModel), script, { 'x-request-id': id }),
      ),
    );
    this.route('GET', '/api/models/*', (ctx) => replyHubModel(this.env, ctx));

    const chat = (shape: ErrorShape) =>
      this.serve(shape, (ctx, script, id) => replyChat(this.env, ctx, script, id, shape));
    this.inference('POST', '/v1/chat/completions', chat('tgi'));
    this.inference('POST', '/hf-inference/models/*/v1/chat/completions', chat('tgi'));

    const completions = this.serve('tgi', (ctx, script, id) =>
      replyCompletions(this.env, ctx, script, id),
    );
    this.inference('POST', '/v1/completions', completions);
    this.inference('POST', '/hf-inference/models/*/v1/completions', completions);

    this.inference(
      'POST',
      '/generate',
      this.serve('tgi', (ctx, script, id) => replyGenerate(this.env, ctx, script, id, false)),
    );
    this.inference(
      'POST',
      '/generate_stream',
      this.serve('tgi', (ctx, script, id) => replyGenerate(this.env, ctx, script, id, true)),
    );

    const features = this.serve('tgi', (ctx, script, id) =>
      replyFeatures(this.env, ctx, script, id),
    );
    this.inference('POST', '/hf-inference/models/*/pipeline/feature-extraction', features);
    this.inference('POST', '/embed', features);
    // A dedicated endpoint's root runs its pipeline: TGI's generate, or feature extraction.
    this.inference(
      'POST',
      '/',
      this.serve('tgi', (ctx, script, id) => {
        const body = (ctx.request.body ?? {}) as { parameters?: unknown; stream?: unknown };
        if (body.parameters !== undefined || body.stream !== undefined) {
          return replyGenerate(this.env, ctx, script, id, body.stream === true, true);
        }
        return replyFeatures(this.env, ctx, script, id);
      }),
    );
    // Third-party providers behind the router each have their own path (`/together/v1/chat/completions`,
    // `/novita/v3/openai/chat/completions`, …): any path ending in chat/completions or completions.
    this.inference(
      'POST',
      '/:provider/*',
      this.serve('openai', (ctx, script, id) => {
        const path = ctx.request.path;
        if (path.endsWith('/chat/completions'))
          return replyChat(this.env, ctx, script, id, 'openai');
        if (path.endsWith('/completions')) return replyCompletions(this.env, ctx, script, id);
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
   * which stay queued, in order, for the first request served after the load.
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
  async nextClientAbort(): Promise<string> {
    return (await this.waitForClientClose()).path;
  }

  /**
   * Registers an inference route. It takes its queued script only once it
   * serves the request: a loading reply leaves the queue untouched, so the
   * script waits, in its place, for the first request served after the load.
   */
  private inference(method: string, path: string, handler: RouteHandler): void {
    this.route(method, path, handler, { script: 'on-demand' });
  }

  /** Wraps a handler with what every inference route shares: loading replies, faults, profiles. */
  private serve(shape: ErrorShape, handler: Handler) {
    return async (ctx: RequestContext): Promise<void> => {
      const requestId = `fake-hf-${++this.counter}`;
      if (await this.replyLoading(ctx, requestId)) return;
      const queued = ctx.takeScript();
      const script = queued ?? scriptFromProfile(ctx.profile, this.random);
      const model = ctx.model ?? this.servedModel;
      const headers = { 'x-request-id': requestId };
      const errorFor = (status: number) => errorBody(status, model, shape, script);
      if (await sendScriptedAnswer(ctx.res, script, errorFor, headers)) return;
      await handler({ ...ctx, script: queued }, script, requestId);
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
}
