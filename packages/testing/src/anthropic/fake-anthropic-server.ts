import {
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
} from '../fake-server.js';
import { scriptFromProfile } from '../model-profile.js';
import { hang, sendJson, sseEvent, writeStreamBody } from '../write-stream.js';
import { anthropicErrorBody, anthropicErrorType } from './anthropic-error-body.js';
import type { AnthropicFaultScript } from './anthropic-fault-script.js';
import {
  DEFAULT_ANTHROPIC_MODELS,
  encodeModelInfo,
  type FakeAnthropicModelInfo,
} from './anthropic-model-catalog.js';
import { encodeAnthropicMessage, encodeAnthropicStream } from './encode-anthropic-answer.js';
import {
  countRequestTokens,
  type MessagesBody,
  planAnthropicAnswer,
} from './plan-anthropic-answer.js';
import { validateMessagesBody } from './validate-messages-body.js';

export interface FakeAnthropicServerOptions extends FakeServerOptions {
  /**
   * The API key the server accepts (as `x-api-key`, or `Authorization: Bearer`,
   * which the SDK sends). When unset, any key is accepted but one is required.
   */
  readonly apiKey?: string;
  /** The `/v1/models` catalogue. */
  readonly models?: readonly FakeAnthropicModelInfo[];
}

/**
 * A loopback server speaking Anthropic's Messages API closely enough for the
 * official SDK: `POST /v1/messages` (JSON or its SSE event sequence),
 * `POST /v1/messages/count_tokens`, `GET /v1/models[/{id}]`, errors in
 * Anthropic's shape with `request-id`, and `overloaded_error` as a 529 or as
 * an `event: error` inside a 200 stream. Without a script, answers follow the
 * model's profile (failures are 529s, as Anthropic sheds load).
 */
export class FakeAnthropicServer extends FakeServer {
  private counter = 0;
  private closedEarly = 0;
  private readonly apiKey: string | undefined;
  private readonly models: readonly FakeAnthropicModelInfo[];

  constructor(options: FakeAnthropicServerOptions = {}) {
    super(options);
    this.apiKey = options.apiKey;
    this.models = options.models ?? DEFAULT_ANTHROPIC_MODELS;
    this.events.on('client-closed', () => this.closedEarly++);
    this.route('POST', '/v1/messages', (ctx) => this.messages(ctx));
    this.route('POST', '/v1/messages/count_tokens', (ctx) => this.countTokens(ctx));
    this.route('GET', '/v1/models', (ctx) => this.listModels(ctx));
    this.route('GET', '/v1/models/:model', (ctx) => this.retrieveModel(ctx));
  }

  /** Queue scripts, with Anthropic's own faults (`errorEvent`, `thinking`, CRLF…) typed. */
  override enqueue(...scripts: AnthropicFaultScript[]): this {
    return super.enqueue(...scripts);
  }

  /** How many responses the client closed before the server finished them. */
  get connectionsClosedEarly(): number {
    return this.closedEarly;
  }

  /** Resolves when the next response is closed by the client before it was finished (alias of `waitForClientClose`). */
  async nextEarlyClose(): Promise<void> {
    await this.waitForClientClose();
  }

  /** Resolves when the next request reaches a route, before it is answered (alias of `waitForRequest`). */
  nextRequest(): Promise<RecordedRequest> {
    return this.waitForRequest();
  }

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}_01Fake${this.counter.toString(36).padStart(18, '0')}`;
  }

  /**
   * Auth, version header and scripted (or profile-drawn) HTTP failures.
   * Returns true when it answered, so the route has nothing left to do.
   */
  private async preflight(
    ctx: RequestContext,
    script: AnthropicFaultScript | undefined,
    requestId: string,
  ): Promise<boolean> {
    const { request, res } = ctx;
    const headers = { 'request-id': requestId };
    const given =
      header(request.headers['x-api-key']) ??
      /^Bearer (.+)$/.exec(header(request.headers.authorization) ?? '')?.[1];
    if (!given || (this.apiKey !== undefined && given !== this.apiKey)) {
      const message = given ? 'invalid x-api-key' : 'x-api-key header is required';
      await sendJson(
        res,
        401,
        anthropicErrorBody('authentication_error', message, requestId),
        undefined,
        headers,
      );
      return true;
    }
    if (!header(request.headers['anthropic-version'])) {
      const body = anthropicErrorBody(
        'invalid_request_error',
        'anthropic-version: header is required',
        requestId,
      );
      await sendJson(res, 400, body, undefined, headers);
      return true;
    }
    if (script?.status !== undefined) {
      const body =
        script.body ??
        anthropicErrorBody(
          script.errorType ?? anthropicErrorType(script.status),
          script.errorMessage,
          requestId,
        );
      await sendJson(res, script.status, body, script, headers);
      return true;
    }
    if (script?.hang) {
      await hang(res);
      return true;
    }
    return false;
  }

  private effectiveScript(ctx: RequestContext): AnthropicFaultScript | undefined {
    return (
      (ctx.script as AnthropicFaultScript | undefined) ??
      scriptFromProfile(ctx.profile, this.random, 529)
    );
  }

  private async messages(ctx: RequestContext): Promise<void> {
    const script = this.effectiveScript(ctx);
    const requestId = script?.requestId ?? this.nextId('req');
    if (await this.preflight(ctx, script, requestId)) return;
    const headers = { 'request-id': requestId };
    const invalid = validateMessagesBody(ctx.request.body);
    if (invalid) {
      await sendJson(
        ctx.res,
        400,
        anthropicErrorBody('invalid_request_error', invalid, requestId),
        script,
        headers,
      );
      return;
    }
    const body = ctx.request.body as MessagesBody;
    const plan = planAnthropicAnswer(body, script, ctx.profile, {
      message: this.nextId('msg'),
      tool: () => this.nextId('toolu'),
    });
    if (body.stream !== true) {
      await sendJson(ctx.res, 200, encodeAnthropicMessage(plan), script, headers);
      return;
    }
    const eol = script?.lineEnding ?? '\n';
    const errorEvent = script?.overloadedEvent
      ? { afterEvents: 0, type: 'overloaded_error' }
      : script?.errorEvent;
    await writeStreamBody(ctx.res, encodeAnthropicStream(plan, eol), script, {
      errorEvent: errorEvent && {
        after: errorEvent.afterEvents,
        event: sseEvent(
          anthropicErrorBody(
            errorEvent.type ?? 'overloaded_error',
            'message' in errorEvent ? errorEvent.message : undefined,
            requestId,
          ),
          'error',
          eol,
        ),
      },
      contentType: 'text/event-stream; charset=utf-8',
      keepAlive: sseEvent({ type: 'ping' }, 'ping', eol),
      malformed: `event: content_block_delta${eol}data: {"type":"content_block_delta","index":0,"delta":{"type":"text_del${eol}${eol}`,
      headers,
      defaultChunkDelayMs: ctx.profile.tokensPerSecond > 0 ? 1000 / ctx.profile.tokensPerSecond : 0,
    });
  }

  private async countTokens(ctx: RequestContext): Promise<void> {
    const script = this.effectiveScript(ctx);
    const requestId = script?.requestId ?? this.nextId('req');
    if (await this.preflight(ctx, script, requestId)) return;
    const headers = { 'request-id': requestId };
    const invalid = validateMessagesBody(ctx.request.body, true);
    if (invalid) {
      await sendJson(
        ctx.res,
        400,
        anthropicErrorBody('invalid_request_error', invalid, requestId),
        script,
        headers,
      );
      return;
    }
    const tokens =
      script?.usage?.inputTokens ?? countRequestTokens(ctx.request.body as MessagesBody);
    await sendJson(ctx.res, 200, { input_tokens: tokens }, script, headers);
  }

  private async listModels(ctx: RequestContext): Promise<void> {
    const script = this.effectiveScript(ctx);
    const requestId = script?.requestId ?? this.nextId('req');
    if (await this.preflight(ctx, script, requestId)) return;
    const { query } = ctx.request;
    const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 20) || 20));
    const after = query.get('after_id');
    const before = query.get('before_id');
    let start = 0;
    let end = this.models.length;
    if (after) start = this.models.findIndex((m) => m.id === after) + 1;
    if (before)
      end = Math.max(
        0,
        this.models.findIndex((m) => m.id === before),
      );
    const page = before
      ? this.models.slice(Math.max(start, end - limit), end)
      : this.models.slice(start, start + limit);
    const hasMore = before ? end - limit > start : start + limit < end;
    await sendJson(
      ctx.res,
      200,
      {
        data: page.map(encodeModelInfo),
        has_more: hasMore,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
      },
      script,
      { 'request-id': requestId },
    );
  }

  private async retrieveModel(ctx: RequestContext): Promise<void> {
    const script = this.effectiveScript(ctx);
    const requestId = script?.requestId ?? this.nextId('req');
    if (await this.preflight(ctx, script, requestId)) return;
    const id = ctx.params.model ?? '';
    const model = this.models.find((m) => m.id === id);
    const headers = { 'request-id': requestId };
    if (!model) {
      await sendJson(
        ctx.res,
        404,
        anthropicErrorBody('not_found_error', `model: ${id}`, requestId),
        script,
        headers,
      );
      return;
    }
    await sendJson(ctx.res, 200, encodeModelInfo(model), script, headers);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? undefined : v;
}
