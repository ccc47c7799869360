import {
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
} from '../fake-server.js';
import type { FaultScript } from '../fault-script.js';
import { scriptFromProfile } from '../model-profile.js';
import { sendJson, sendScriptedAnswer } from '../write-stream.js';
import { type OpenAIErrorSpec, openAIErrorBody } from './openai-error-body.js';
import type { OpenAIFaultScript } from './openai-fault-script.js';
import { DEFAULT_OPENAI_MODELS, registerOpenAIRoutes } from './openai-routes.js';

export interface FakeOpenAIAuth {
  /** Where the key travels: `Authorization: Bearer <key>` (default) or an `api-key` header (Azure). */
  readonly scheme?: 'bearer' | 'api-key';
  /** The key the server expects; when unset, every request is accepted. */
  readonly apiKey?: string;
}

export interface FakeOpenAIServerOptions extends FakeServerOptions {
  /** Path prefix of the API (default `/v1`; Azure AI Foundry `/openai/v1`, GitHub Models `/inference`). */
  readonly prefix?: string;
  readonly auth?: FakeOpenAIAuth;
  /** Model ids `GET /models` lists (default: well-known OpenAI ids plus every profiled model). */
  readonly models?: readonly string[];
  /** Answer 404 `model_not_found` for chat requests naming a model that is not listed. */
  readonly rejectUnknownModels?: boolean;
  /**
   * Echo the wrong key in full in 401 messages. The real API masks it; tests
   * turn this on to prove the adapter redacts keys that come back in errors.
   */
  readonly echoKeyInErrors?: boolean;
}

/** What a handler receives once auth and fault scripts have been dealt with. */
export interface OpenAIRequestContext extends RequestContext {
  /** The script in force: the queued one, else one drawn from the model's profile. */
  readonly effectiveScript: FaultScript | undefined;
  /** Headers every response carries (`x-request-id`…). */
  readonly responseHeaders: Readonly<Record<string, string>>;
}

export type OpenAIRouteHandler = (ctx: OpenAIRequestContext) => Promise<void> | void;

/**
 * A loopback server speaking the OpenAI REST protocol closely enough for the
 * official `openai` SDK to run against it unmodified: chat completions (plain
 * and SSE streaming, tools, JSON output, usage details), embeddings (float and
 * base64), models, image generation and audio transcription/translation, with
 * errors in OpenAI's shape. Every answer can be scripted with a FaultScript.
 *
 * `events` (the shared FakeServer's) emits `request` (RecordedRequest) when a
 * request reaches a route and `client-closed` (RecordedRequest) when a client
 * goes away before the response finished (an aborted call).
 */
export class FakeOpenAIServer extends FakeServer {
  readonly prefix: string;
  protected readonly openaiOptions: FakeOpenAIServerOptions;
  private requestCounter = 0;

  constructor(options: FakeOpenAIServerOptions = {}) {
    super(options);
    this.openaiOptions = options;
    this.prefix = normalizePrefix(options.prefix ?? '/v1');
    registerOpenAIRoutes(this);
  }

  /** The base URL to give an SDK client: `http://127.0.0.1:<port><prefix>`. */
  get baseURL(): string {
    return `${this.url}${this.prefix}`;
  }

  /** Model ids the server lists. */
  listedModels(): string[] {
    const listed = new Set(this.openaiOptions.models ?? DEFAULT_OPENAI_MODELS);
    for (const model of Object.keys(this.openaiOptions.profiles ?? {}))
      if (model !== '*') listed.add(model);
    return [...listed];
  }

  /** Queue fault scripts, with the OpenAI extras (`lineEnding`, `errorEventAt`, `refusal`). */
  override enqueue(...scripts: OpenAIFaultScript[]): this {
    return super.enqueue(...scripts);
  }

  /** Whether chat requests for unlisted models get a 404. */
  rejectsUnknownModels(): boolean {
    return this.openaiOptions.rejectUnknownModels === true;
  }

  /** Registers a route under the prefix, wrapped with auth, scripts and recording. */
  apiRoute(method: string, path: string, handler: OpenAIRouteHandler): this {
    return this.route(method, `${this.prefix}${path}`, (ctx) => this.dispatch(ctx, handler));
  }

  /** Registers a route at an absolute path (outside the prefix), wrapped alike. */
  absoluteRoute(method: string, path: string, handler: OpenAIRouteHandler): this {
    return this.route(method, path, (ctx) => this.dispatch(ctx, handler));
  }

  /** Sends an error in this provider's shape. */
  async sendError(
    ctx: OpenAIRequestContext,
    spec: OpenAIErrorSpec,
    script?: FaultScript,
  ): Promise<void> {
    await sendJson(ctx.res, spec.status, this.errorBody(spec), script, ctx.responseHeaders);
  }

  /** The error body for a failure; providers speaking the same protocol override it. */
  errorBody(spec: OpenAIErrorSpec): unknown {
    return openAIErrorBody(spec);
  }

  /** Adds provider-specific fields to a completion (Azure's content-filter results). */
  decorateCompletion(_completion: Record<string, unknown>): void {}

  /** Adds provider-specific chunks or fields to a stream (Azure's prompt-filter chunk). */
  decorateChunks(chunks: Record<string, unknown>[]): Record<string, unknown>[] {
    return chunks;
  }

  /** The 401 for a request without the right key, or undefined when it may pass. */
  protected checkAuth(request: RecordedRequest): OpenAIErrorSpec | undefined {
    const expected = this.openaiOptions.auth?.apiKey;
    if (expected === undefined) return undefined;
    const scheme = this.openaiOptions.auth?.scheme ?? 'bearer';
    const raw = scheme === 'bearer' ? header(request, 'authorization') : header(request, 'api-key');
    const provided = scheme === 'bearer' ? raw?.replace(/^Bearer\s+/i, '') : raw;
    if (provided === expected) return undefined;
    return this.authFailure(provided || undefined);
  }

  /** OpenAI's words for a missing or wrong key. */
  protected authFailure(provided: string | undefined): OpenAIErrorSpec {
    if (provided === undefined) {
      return {
        status: 401,
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      };
    }
    return {
      status: 401,
      code: 'invalid_api_key',
      message: `Incorrect API key provided: ${this.shownKey(provided)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    };
  }

  protected shownKey(key: string): string {
    if (this.openaiOptions.echoKeyInErrors) return key;
    return key.length <= 8
      ? '*'.repeat(key.length)
      : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
  }

  protected override modelOf(
    request: RecordedRequest,
    params: Readonly<Record<string, string>>,
  ): string | undefined {
    const fromBody = super.modelOf(request, params);
    if (fromBody !== undefined) return fromBody;
    // Multipart audio requests carry the model as a form field.
    const match = /name="model"\r\n\r\n([^\r\n]+)/.exec(request.rawBody.toString('latin1'));
    return match?.[1];
  }

  private async dispatch(ctx: RequestContext, handler: OpenAIRouteHandler): Promise<void> {
    const { res, request, script } = ctx;
    const responseHeaders = {
      'x-request-id': `req_${(++this.requestCounter).toString(16).padStart(32, '0')}`,
      'openai-processing-ms': '12',
      'openai-version': '2020-10-01',
    };
    const effectiveScript = script ?? scriptFromProfile(ctx.profile, this.random, 500);
    const full: OpenAIRequestContext = { ...ctx, effectiveScript, responseHeaders };

    const authError = this.checkAuth(request);
    if (authError) return this.sendError(full, authError);
    const errorFor = (status: number) =>
      this.errorBody({
        status,
        code: effectiveScript?.errorType,
        message: effectiveScript?.errorMessage,
      });
    if (await sendScriptedAnswer(res, effectiveScript, errorFor, responseHeaders)) return;
    await handler(full);
  }
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
