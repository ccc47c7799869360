import { parseRetryAfter } from './parse-retry-after.js';
import {
  AuthenticationError,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  OverloadedError,
  type ProviderError,
  type ProviderErrorOptions,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
} from './provider-errors.js';
import { redactSecrets } from './redact.js';

export interface HttpFailure extends ProviderErrorOptions {
  readonly status: number;
  /** The provider's message, if any; it is redacted before use. */
  readonly message?: string;
  readonly headers?:
    | Headers
    | Readonly<Record<string, string | readonly string[] | null | undefined>>;
  /** Secrets to strip from the message (the configured API key, say). */
  readonly secrets?: readonly (string | undefined)[];
  readonly now?: number;
}

const CONTEXT_LENGTH =
  /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (?:maximum|model)|token limit/i;
const CONTENT_POLICY =
  /content[_ ]?(?:policy|filter|management)|safety|responsible ai|blocked|moderation/i;
const QUOTA = /insufficient[_ ]quota|quota|billing|credit balance|exceeded your current/i;
const OVERLOADED = /overloaded/i;

/**
 * Maps an HTTP failure to the error class that says what it means. Adapters
 * call this with what their SDK reports, adding the provider's error code
 * where it has one; the message is redacted of any credential.
 */
export function classifyHttpError(failure: HttpFailure): ProviderError {
  const { status } = failure;
  const text = `${failure.providerCode ?? ''} ${failure.message ?? ''}`;
  const message = redactSecrets(
    `${failure.provider}${failure.model ? ` (${failure.model})` : ''}: ${failure.message?.trim() || `HTTP ${status}`}`,
    failure.secrets ?? [],
  );
  const options: ProviderErrorOptions = {
    provider: failure.provider,
    model: failure.model,
    status,
    providerCode: failure.providerCode,
    requestId: failure.requestId,
    cause: failure.cause,
  };
  const retryAfterMs = parseRetryAfter(failure.headers, failure.now);

  if (status === 401 || status === 403) {
    // Some providers answer 403 for content they refuse; that is not an auth problem.
    if (status === 403 && CONTENT_POLICY.test(text) && !/permission|forbidden|key/i.test(text)) {
      return new ContentPolicyError(message, options);
    }
    return new AuthenticationError(message, options);
  }
  if (status === 402) return new QuotaExceededError(message, options);
  if (status === 429) {
    if (QUOTA.test(text) && !/rate/i.test(failure.providerCode ?? '')) {
      return new QuotaExceededError(message, options);
    }
    return new RateLimitError(message, { ...options, retryAfterMs });
  }
  if (status === 529 || (status === 503 && OVERLOADED.test(text))) {
    return new OverloadedError(message, { ...options, retryAfterMs });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderInternalError(message, options);
  }
  if (status === 413 || CONTEXT_LENGTH.test(text)) return new ContextLengthError(message, options);
  if (CONTENT_POLICY.test(text)) return new ContentPolicyError(message, options);
  return new InvalidRequestError(message, options);
}
