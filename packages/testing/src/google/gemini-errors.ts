/**
 * Error bodies in the shape the Gemini API (a Google API) answers with:
 * `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}}`.
 */

/** HTTP status → the google.rpc.Code name the API puts in `error.status`. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
  UNAUTHENTICATED:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  PERMISSION_DENIED: 'The caller does not have permission',
  NOT_FOUND: 'Requested entity was not found.',
  ABORTED: 'The operation was aborted.',
  RESOURCE_EXHAUSTED:
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  CANCELLED: 'The operation was cancelled.',
  INTERNAL:
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  UNIMPLEMENTED: 'Method not implemented.',
  UNAVAILABLE: 'The model is overloaded. Please try again later.',
  DEADLINE_EXCEEDED: 'Deadline expired before operation could complete.',
};

export type GoogleErrorBody = {
  readonly error: {
    readonly code: number;
    readonly message: string;
    readonly status: string;
    readonly details?: readonly Readonly<Record<string, unknown>>[];
  };
};

export function googleStatusName(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

export function googleErrorBody(
  code: number,
  options: {
    message?: string | undefined;
    status?: string | undefined;
    details?: readonly Readonly<Record<string, unknown>>[];
  } = {},
): GoogleErrorBody {
  const status = options.status ?? googleStatusName(code);
  return {
    error: {
      code,
      message: options.message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${code}`,
      status,
      ...(options.details === undefined ? {} : { details: options.details }),
    },
  };
}

export function googleRetryInfo(retryDelay: string): Readonly<Record<string, unknown>> {
  return { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay };
}

/** The details a real Gemini 429 carries: which quota, where to read more, and when to retry. */
export function rateLimitDetails(
  model: string | undefined,
  retryDelay: string,
  quotaId = 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
): Readonly<Record<string, unknown>>[] {
  return [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId,
          quotaDimensions: { location: 'global', model: model ?? 'unknown' },
          quotaValue: '10',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
    googleRetryInfo(retryDelay),
  ];
}

/** What the API says to a key it does not know (it is a 400, not a 401). */
export function invalidKeyBody(): GoogleErrorBody {
  const message = 'API key not valid. Please pass a valid API key.';
  return googleErrorBody(400, {
    message,
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
    ],
  });
}

/** What the API says to a request without any key. */
export function missingKeyBody(): GoogleErrorBody {
  return googleErrorBody(403, {
    message:
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  });
}

/** What the API says about a model it does not have (or that lacks the method). */
export function modelNotFoundBody(model: string, method: string): GoogleErrorBody {
  return googleErrorBody(404, {
    message: `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  });
}
