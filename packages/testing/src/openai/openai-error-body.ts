/** OpenAI's error envelope: `{"error": {"message", "type", "param", "code"}}`. */
export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string | null;
    readonly param: string | null;
    readonly code: string | null;
    readonly [extra: string]: unknown;
  };
}

export interface OpenAIErrorSpec {
  readonly status: number;
  /** The error `code` (or, for codes OpenAI reports as a type, the type). */
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  readonly param?: string | undefined;
}

interface KnownCode {
  readonly type: string;
  readonly message: string;
  readonly param?: string;
}

// What OpenAI answers for the failures clients care about, in its own words.
const KNOWN_CODES: Readonly<Record<string, KnownCode>> = {
  rate_limit_exceeded: {
    type: 'requests',
    message:
      'Rate limit reached for requests in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
  },
  insufficient_quota: {
    type: 'insufficient_quota',
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
  },
  context_length_exceeded: {
    type: 'invalid_request_error',
    param: 'messages',
    message:
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
  },
  content_policy_violation: {
    type: 'invalid_request_error',
    message: 'Your request was rejected as a result of our safety system.',
  },
  content_filter: {
    type: 'invalid_request_error',
    param: 'prompt',
    message:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
  },
  invalid_api_key: {
    type: 'invalid_request_error',
    message: 'Incorrect API key provided.',
  },
  model_not_found: {
    type: 'invalid_request_error',
    param: 'model',
    message: 'The model does not exist or you do not have access to it.',
  },
  server_error: {
    type: 'server_error',
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  overloaded: {
    type: 'server_error',
    message: 'The engine is currently overloaded, please try again later.',
  },
};

function byStatus(status: number): KnownCode & { code: string | null } {
  if (status === 401) return { ...KNOWN_CODES.invalid_api_key!, code: 'invalid_api_key' };
  if (status === 403) {
    return {
      type: 'invalid_request_error',
      message: 'You are not allowed to sample from this model.',
      code: 'permission_denied',
    };
  }
  if (status === 404) return { ...KNOWN_CODES.model_not_found!, code: 'model_not_found' };
  if (status === 429) return { ...KNOWN_CODES.rate_limit_exceeded!, code: 'rate_limit_exceeded' };
  if (status === 503) return { ...KNOWN_CODES.overloaded!, code: null };
  if (status >= 500) return { ...KNOWN_CODES.server_error!, code: null };
  return { type: 'invalid_request_error', message: 'Invalid request.', code: null };
}

/** Builds OpenAI's error body for a status and an optional code/message. */
export function openAIErrorBody(spec: OpenAIErrorSpec): OpenAIErrorBody {
  const known = spec.code === undefined ? undefined : KNOWN_CODES[spec.code];
  const base = known
    ? { ...known, code: spec.code === 'overloaded' ? null : spec.code! }
    : byStatus(spec.status);
  // An unknown code still travels as the code, with the status's type.
  const code = known || spec.code === undefined ? base.code : spec.code;
  return {
    error: {
      message: spec.message ?? base.message,
      type: base.type,
      param: spec.param ?? base.param ?? null,
      code,
    },
  };
}
