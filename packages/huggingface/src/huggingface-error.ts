import {
  AbortedError,
  AuthenticationError,
  abortedByTimeout,
  ContextLengthError,
  classifyHttpError,
  InvalidRequestError,
  InvalidResponseError,
  MAX_RETRY_AFTER_MS,
  NetworkError,
  OrchestratorError,
  OverloadedError,
  type ProviderErrorOptions,
  ProviderInternalError,
  parseRetryAfter,
  redactSecrets,
  TimeoutError,
} from '@orchestrator/core';

export const PROVIDER = 'huggingface';

/**
 * HTTP 503 "Model … is currently loading": the model is cold and will be
 * ready in about `estimatedTimeMs`. Retryable after `retryAfterMs`.
 */
export class ModelLoadingError extends OverloadedError {
  // Core types OverloadedError.marker as a unique symbol, so a subclass must cast its own marker.
  static override readonly marker: typeof OverloadedError.marker = Symbol.for(
    'orchestrator.error.huggingface.ModelLoadingError',
  ) as unknown as typeof OverloadedError.marker;
  readonly estimatedTimeMs: number | undefined;
  constructor(
    message: string,
    options: ProviderErrorOptions & { estimatedTimeMs?: number | undefined },
  ) {
    const estimate = options.estimatedTimeMs;
    super(message, {
      ...options,
      retryAfterMs: estimate === undefined ? undefined : Math.min(estimate, MAX_RETRY_AFTER_MS),
    });
    this.estimatedTimeMs = estimate;
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      estimatedTimeMs: this.estimatedTimeMs,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** What the call saw of the HTTP exchange, captured by the per-call fetch. */
export interface ExchangeCapture {
  status?: number;
  headers?: Headers;
  /** A clone of the last response, when the call asked to keep it (to read what the SDK drops). */
  body?: Response;
}

export interface ErrorContext {
  readonly model: string;
  readonly secrets: readonly (string | undefined)[];
  /** The signal the call ran under (caller's signal plus timeout). */
  readonly signal: AbortSignal | undefined;
  /** The caller's own signal, to tell a cancellation from a timeout. */
  readonly callerSignal: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
  readonly capture: ExchangeCapture;
}

interface SdkHttpError {
  readonly name: string;
  readonly message: string;
  readonly httpResponse: {
    readonly requestId?: string;
    readonly status: number;
    readonly body: unknown;
  };
}

function isSdkHttpError(error: unknown): error is SdkHttpError {
  const r = (error as { httpResponse?: { status?: unknown } } | null)?.httpResponse;
  return (
    error instanceof Error && typeof r === 'object' && r !== null && typeof r.status === 'number'
  );
}

/** The message, error type and estimated load time in an HF error body, whatever its shape. */
export function readErrorBody(body: unknown): {
  message?: string;
  code?: string;
  estimatedTimeMs?: number;
} {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 500) } : {};
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const nested =
    typeof b.error === 'object' && b.error !== null
      ? (b.error as Record<string, unknown>)
      : undefined;
  const message =
    (typeof b.error === 'string' ? b.error : undefined) ??
    (typeof nested?.message === 'string' ? nested.message : undefined) ??
    (typeof b.detail === 'string' ? b.detail : undefined) ??
    (typeof b.message === 'string' ? b.message : undefined);
  const code =
    (typeof b.error_type === 'string' ? b.error_type : undefined) ??
    (typeof nested?.code === 'string' ? nested.code : undefined) ??
    (typeof nested?.type === 'string' ? nested.type : undefined) ??
    (typeof b.type === 'string' ? b.type : undefined);
  const estimate =
    typeof b.estimated_time === 'number' && b.estimated_time >= 0
      ? b.estimated_time * 1000
      : undefined;
  return {
    ...(message === undefined ? {} : { message }),
    ...(code === undefined ? {} : { code }),
    ...(estimate === undefined ? {} : { estimatedTimeMs: estimate }),
  };
}

const LOADING = /currently loading|is loading|is initializing|scaled to zero/i;
// TGI words context overflows as validation errors on token counts.
const TGI_CONTEXT =
  /`inputs` tokens \+ `max_new_tokens` must be <=|`inputs` must have less than|max_total_tokens|maximum context length|context length/i;

/** Classifies an HTTP failure the way Hugging Face words it. */
export function classifyHuggingFaceHttpError(
  status: number,
  body: unknown,
  ctx: Pick<ErrorContext, 'model' | 'secrets'> & {
    headers?: Headers | undefined;
    requestId?: string;
    cause?: unknown;
  },
): OrchestratorError {
  const { message, code, estimatedTimeMs } = readErrorBody(body);
  const options: ProviderErrorOptions = {
    provider: PROVIDER,
    model: ctx.model,
    status,
    providerCode: code,
    requestId: ctx.requestId || undefined,
    cause: ctx.cause,
  };
  const text = (m: string | undefined) =>
    redactSecrets(`${PROVIDER} (${ctx.model}): ${m?.trim() || `HTTP ${status}`}`, ctx.secrets);
  if (status === 503 && (estimatedTimeMs !== undefined || LOADING.test(message ?? ''))) {
    return new ModelLoadingError(text(message ?? 'the model is loading'), {
      ...options,
      estimatedTimeMs,
    });
  }
  if (status >= 200 && status < 300) {
    // An error event inside a 200 stream.
    if (code === 'overloaded' || /overloaded/i.test(message ?? '')) {
      return new OverloadedError(text(message), options);
    }
    if (code === 'validation') return new InvalidRequestError(text(message), options);
    return new ProviderInternalError(text(message), options);
  }
  if (status === 429 && code === 'overloaded') {
    return new OverloadedError(text(message), {
      ...options,
      retryAfterMs: parseRetryAfter(ctx.headers),
    });
  }
  if ((status === 400 || status === 422) && TGI_CONTEXT.test(message ?? '')) {
    return new ContextLengthError(text(message), options);
  }
  return classifyHttpError({
    status,
    message: message ?? '',
    providerCode: code,
    ...(ctx.headers === undefined ? {} : { headers: ctx.headers }),
    provider: PROVIDER,
    model: ctx.model,
    requestId: options.requestId,
    secrets: ctx.secrets,
    cause: ctx.cause,
  });
}

/**
 * The cause to keep on our error: the original's name and redacted message
 * only. The SDK's errors hold the provider's reply verbatim, and a provider
 * that echoes the token would otherwise leak it through `error.cause`.
 */
function safeCause(error: unknown, secrets: readonly (string | undefined)[]): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const safe = new Error(typeof code === 'string' ? `${message} (${code})` : message);
  safe.name = name;
  safe.stack = `${name}: ${safe.message}`;
  return safe;
}

/** Maps anything the SDK (or fetch) threw to the error class that says what it means. */
export function mapHuggingFaceError(error: unknown, ctx: ErrorContext): OrchestratorError {
  if (OrchestratorError.isInstance(error)) return error;
  const cause = safeCause(error, ctx.secrets);
  const base: ProviderErrorOptions = { provider: PROVIDER, model: ctx.model, cause };
  const say = (m: string) => redactSecrets(`${PROVIDER} (${ctx.model}): ${m}`, ctx.secrets);
  if (ctx.callerSignal?.aborted) return new AbortedError(undefined, cause);
  if (ctx.signal?.aborted) {
    if (abortedByTimeout(ctx.signal)) {
      const after = ctx.timeoutMs === undefined ? '' : ` after ${ctx.timeoutMs} ms`;
      return new TimeoutError(say(`the call timed out${after}`), { ...base, possiblyBilled: true });
    }
    return new AbortedError(undefined, cause);
  }
  if (isSdkHttpError(error)) {
    const { status, body, requestId } = error.httpResponse;
    if (status === 200 && body === '' && /event stream/.test(error.message)) {
      return new InvalidResponseError(say('the server did not answer with an event stream'), {
        ...base,
        status,
      });
    }
    return classifyHuggingFaceHttpError(status, body, {
      model: ctx.model,
      secrets: ctx.secrets,
      headers: ctx.capture.headers,
      ...(requestId ? { requestId } : {}),
      cause,
    });
  }
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ProviderOutputError') return new InvalidResponseError(say(message), base);
  if (name === 'RoutingError' || name === 'InputError') {
    if (/API key|token|credentials/i.test(message))
      return new AuthenticationError(say(message), base);
    return new InvalidRequestError(say(message), base);
  }
  if (error instanceof SyntaxError) {
    // Malformed JSON: a body that promised JSON and was not, or a broken stream event.
    const status = ctx.capture.status;
    if (status !== undefined && status >= 400) {
      return classifyHuggingFaceHttpError(status, 'the error body was malformed JSON', {
        ...ctx,
        cause: error,
      });
    }
    return new InvalidResponseError(say(`malformed JSON from the server: ${message}`), base);
  }
  // fetch failures: refused, reset, or the connection cut in the middle of a body.
  const seen = ctx.capture.status !== undefined;
  return new NetworkError(
    say(`connection failed${seen ? ' mid-response' : ''}: ${describeCause(error)}`),
    {
      ...base,
      possiblyBilled: seen,
    },
  );
}

function describeCause(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = typeof cause?.message === 'string' ? cause.message : undefined;
  return [message, code ?? detail].filter(Boolean).join(' — ');
}
