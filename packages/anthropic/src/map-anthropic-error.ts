import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  AbortedError,
  abortedByTimeout,
  classifyHttpError,
  InvalidResponseError,
  NetworkError,
  OrchestratorError,
  redactSecrets,
  TimeoutError,
} from '@orchestrator/core';

export interface ErrorContext {
  readonly model: string;
  readonly apiKey: string | undefined;
  /** The signal the call ran under (caller's signal combined with the timeout). */
  readonly signal: AbortSignal | undefined;
  /** Whether the provider may have started work (true once a response began). */
  readonly responseStarted?: boolean;
}

// The status each error type comes with, for errors that arrive as an
// `event: error` inside a 200 stream (they carry a type but no status).
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const MAX_MESSAGE = 500;

function describe(ctx: ErrorContext, text: string): string {
  return redactSecrets(`anthropic (${ctx.model}): ${text}`, [ctx.apiKey]);
}

function tidy(text: string): string {
  const plain = /<\s*(html|!doctype|body|head)\b/i.test(text)
    ? text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : text.trim();
  return plain.length > MAX_MESSAGE ? `${plain.slice(0, MAX_MESSAGE)}…` : plain;
}

function fromApiError(error: APIError, ctx: ErrorContext): OrchestratorError {
  const body = error.error as
    | { error?: { type?: unknown; message?: unknown }; request_id?: unknown }
    | undefined;
  const type = error.type ?? (typeof body?.error?.type === 'string' ? body.error.type : undefined);
  const apiMessage =
    error.apiMessage ?? (typeof body?.error?.message === 'string' ? body.error.message : undefined);
  let status = error.status ?? (type === undefined ? undefined : STATUS_BY_TYPE[type]) ?? 500;
  const message = tidy(apiMessage ?? error.message);
  // Anthropic reports an empty balance as a 400 (or a billing_error): that is quota, not a bad request.
  if (type === 'billing_error' || /credit balance/i.test(message)) status = 402;
  const requestId =
    error.requestID ??
    (typeof body?.request_id === 'string' ? body.request_id : undefined) ??
    undefined;
  return classifyHttpError({
    status,
    message,
    providerCode: type,
    ...(error.headers === undefined ? {} : { headers: error.headers }),
    provider: 'anthropic',
    model: ctx.model,
    requestId,
    secrets: [ctx.apiKey],
  });
}

/**
 * Maps whatever the SDK (or the stream) threw to the error class that says
 * what it means. Every message is redacted of the API key, and the SDK's own
 * error is not attached as a cause, so nothing unredacted travels along.
 */
export function mapAnthropicError(error: unknown, ctx: ErrorContext): OrchestratorError {
  if (OrchestratorError.isInstance(error)) return error;
  const options = { provider: 'anthropic', model: ctx.model };
  if (ctx.signal?.aborted) {
    if (abortedByTimeout(ctx.signal)) {
      return new TimeoutError(describe(ctx, 'the call timed out'), {
        ...options,
        possiblyBilled: true,
      });
    }
    return new AbortedError();
  }
  if (error instanceof APIUserAbortError) return new AbortedError();
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError(describe(ctx, 'the request timed out'), {
      ...options,
      possiblyBilled: true,
    });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? (error.cause.cause ?? error.cause) : undefined;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return new NetworkError(describe(ctx, `connection failed${detail}`), {
      ...options,
      possiblyBilled: false,
    });
  }
  if (error instanceof APIError) return fromApiError(error, ctx);
  if (error instanceof SyntaxError) {
    return new InvalidResponseError(
      describe(ctx, `malformed JSON from the API: ${error.message}`),
      options,
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError || /terminated|socket|ECONNRESET|network/i.test(text)) {
    return new NetworkError(describe(ctx, `connection lost: ${text}`), {
      ...options,
      possiblyBilled: ctx.responseStarted ?? true,
    });
  }
  return new InvalidResponseError(describe(ctx, tidy(text)), options);
}
