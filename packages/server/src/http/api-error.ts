import {
  AbortedError,
  AllModelsFailedError,
  BudgetExceededError,
  CircuitOpenError,
  InvalidOrchestratorRequestError,
  ModelNotFoundError,
  NoEligibleModelsError,
  OrchestratorError,
  ProviderError,
  type RateLimitError,
  RateLimitExceededError,
} from '@orchestrator/core';

/** An error the gateway answers with: HTTP status, stable code, message, offending parameter. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    status: number,
    code: string,
    message: string,
    options: { param?: string | null; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const invalid = (param: string, message: string): ApiError =>
  new ApiError(400, 'invalid_request', message, { param });

function seconds(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0
    ? Math.max(1, Math.ceil(ms / 1000))
    : undefined;
}

/** What a provider failure means for the gateway's client. */
function fromProviderError(error: ProviderError): ApiError {
  switch (error.code) {
    case 'rate_limited':
      return new ApiError(
        429,
        'upstream_rate_limited',
        'The provider is rate limiting; try again shortly.',
        {
          retryAfterSeconds: seconds((error as RateLimitError).retryAfterMs),
        },
      );
    case 'context_length_exceeded':
      return new ApiError(400, 'context_length_exceeded', error.message, { param: 'messages' });
    case 'content_policy':
      return new ApiError(400, 'content_policy', error.message);
    case 'invalid_request':
      return new ApiError(400, 'invalid_request', error.message);
    case 'timeout':
      return new ApiError(504, 'upstream_timeout', error.message);
    case 'authentication_failed':
      // The provider refused the gateway's own key: the operator's problem, not the caller's.
      return new ApiError(
        502,
        'upstream_authentication_failed',
        `${error.provider} rejected the gateway's credentials.`,
      );
    case 'quota_exceeded':
      return new ApiError(
        502,
        'upstream_quota_exceeded',
        `${error.provider} reports its quota is exhausted.`,
      );
    case 'overloaded':
      return new ApiError(503, 'upstream_overloaded', error.message);
    default:
      return new ApiError(502, error.code, error.message);
  }
}

/** Maps anything thrown while serving a request to the error the client sees. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (InvalidOrchestratorRequestError.isInstance(error))
    return new ApiError(400, 'invalid_request', error.message, { param: error.param });
  if (ModelNotFoundError.isInstance(error))
    return new ApiError(404, 'model_not_found', error.message, { param: 'model' });
  if (NoEligibleModelsError.isInstance(error))
    // The per-model reasons could name models other tenants use: say only what the request needs.
    return new ApiError(
      400,
      'no_eligible_models',
      'No available model can serve this request (check the capabilities, limits and model it asks for).',
    );
  if (BudgetExceededError.isInstance(error))
    return new ApiError(402, 'budget_exceeded', error.message);
  if (RateLimitExceededError.isInstance(error))
    return new ApiError(429, 'rate_limit_exceeded', error.message, {
      retryAfterSeconds: error.retryAfterSeconds,
    });
  if (CircuitOpenError.isInstance(error)) return new ApiError(503, 'circuit_open', error.message);
  if (AbortedError.isInstance(error))
    return new ApiError(499, 'client_closed_request', 'The request was cancelled.');
  if (AllModelsFailedError.isInstance(error)) {
    const inner = error.lastError;
    if (
      RateLimitExceededError.isInstance(inner) ||
      BudgetExceededError.isInstance(inner) ||
      CircuitOpenError.isInstance(inner)
    )
      return toApiError(inner);
    const mapped = ProviderError.isInstance(inner) ? fromProviderError(inner) : undefined;
    const status =
      mapped && mapped.status < 500 && mapped.status !== 429
        ? mapped.status
        : (mapped?.status ?? 502);
    return new ApiError(
      status,
      mapped?.status === 400 ? mapped.code : 'all_models_failed',
      error.message,
      {
        retryAfterSeconds: seconds(error.retryAfterMs) ?? mapped?.retryAfterSeconds,
        param: mapped?.param ?? null,
      },
    );
  }
  if (ProviderError.isInstance(error)) return fromProviderError(error);
  if (OrchestratorError.isInstance(error)) {
    if (error.code === 'unsupported_feature') return new ApiError(400, error.code, error.message);
    if (error.code === 'budget_unavailable' || error.code === 'invalid_response')
      return new ApiError(503, error.code, error.message);
    return new ApiError(500, error.code, error.message);
  }
  const fastify = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof fastify?.code === 'string' && fastify.code.startsWith('FST_')) {
    switch (fastify.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new ApiError(
          413,
          'request_too_large',
          'The request body is larger than the gateway accepts.',
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return new ApiError(400, 'invalid_json', 'The request body is empty.');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return new ApiError(400, 'invalid_request', 'The Content-Length does not match the body.');
      default:
        break;
    }
  }
  if (
    error instanceof SyntaxError ||
    (fastify?.statusCode === 400 && typeof fastify.message === 'string')
  )
    return new ApiError(
      400,
      'invalid_json',
      `The body is not valid JSON: ${String(fastify.message).slice(0, 200)}`,
    );
  return new ApiError(500, 'internal_error', 'The gateway failed to handle the request.');
}

/** OpenAI's error `type` for a status. */
export function openAIErrorType(status: number, code: string): string {
  if (code === 'budget_exceeded') return 'insufficient_quota';
  if (status === 400 || status === 413 || status === 415 || status === 431)
    return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 402) return 'insufficient_quota';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** Anthropic's error `type` for a status. */
export function anthropicErrorType(status: number): string {
  if (status === 400 || status === 415 || status === 431) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  return 'api_error';
}

export type Dialect = 'openai' | 'anthropic' | 'orchestrator';

export function dialectOf(url: string): Dialect {
  if (url.startsWith('/v1/messages')) return 'anthropic';
  if (url.startsWith('/v1/')) return 'openai';
  return 'orchestrator';
}

/** The error body in the dialect of the route. */
export function errorBody(
  dialect: Dialect,
  error: ApiError,
  requestId: string,
): Record<string, unknown> {
  if (dialect === 'openai')
    return {
      error: {
        message: error.message,
        type: openAIErrorType(error.status, error.code),
        param: error.param,
        code: error.code,
        request_id: requestId,
      },
    };
  if (dialect === 'anthropic')
    return {
      type: 'error',
      error: {
        type: anthropicErrorType(error.status),
        message: error.message,
        code: error.code,
        param: error.param,
      },
      request_id: requestId,
    };
  return { error: { code: error.code, message: error.message, param: error.param, requestId } };
}
