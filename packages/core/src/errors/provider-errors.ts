import { OrchestratorError } from './orchestrator-error.js';

export interface ProviderErrorOptions {
  readonly provider: string;
  readonly model?: string | undefined;
  /** HTTP status, when the failure came with one. */
  readonly status?: number | undefined;
  /** The provider's own error code or type, such as `insufficient_quota`. */
  readonly providerCode?: string | undefined;
  /** The provider's request id, for support tickets. */
  readonly requestId?: string | undefined;
  readonly cause?: unknown;
}

/** A failure of a provider call, classified by meaning. */
export abstract class ProviderError extends OrchestratorError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.ProviderError');
  readonly provider: string;
  readonly model: string | undefined;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, code: string, retryable: boolean, options: ProviderErrorOptions) {
    super(message, { code, retryable, cause: options.cause });
    this.provider = options.provider;
    this.model = options.model;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.requestId = options.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      provider: this.provider,
      model: this.model,
      status: this.status,
      providerCode: this.providerCode,
      requestId: this.requestId,
    };
  }
}

/** 429 (not quota): retry after `retryAfterMs` when the provider said so. */
export class RateLimitError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.RateLimitError');
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: ProviderErrorOptions & { retryAfterMs?: number | undefined },
  ) {
    super(message, 'rate_limited', true, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The account is out of credit or quota: retrying will not help. */
export class QuotaExceededError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.QuotaExceededError');
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, 'quota_exceeded', false, options);
  }
}

/** 401/403: the key is wrong or lacks permission; the model should be taken out at once. */
export class AuthenticationError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.AuthenticationError');
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, 'authentication_failed', false, options);
  }
}

/** 400/404/413/422: the request itself is wrong for this provider. */
export class InvalidRequestError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.InvalidRequestError');
  constructor(message: string, options: ProviderErrorOptions, code = 'invalid_request') {
    super(message, code, false, options);
  }
}

/** The prompt does not fit the model's context window. Another model with a larger window may succeed. */
export class ContextLengthError extends InvalidRequestError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.ContextLengthError');
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options, 'context_length_exceeded');
  }
}

/** The provider refused the content. */
export class ContentPolicyError extends InvalidRequestError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.ContentPolicyError');
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options, 'content_policy');
  }
}

/** 529 or an "overloaded" event: the provider is shedding load. */
export class OverloadedError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.OverloadedError');
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: ProviderErrorOptions & { retryAfterMs?: number | undefined },
  ) {
    super(message, 'overloaded', true, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The call took too long. `possiblyBilled` is true when the request body had
 * been sent: the provider may have done (and charged for) the work.
 */
export class TimeoutError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.TimeoutError');
  readonly possiblyBilled: boolean;
  constructor(
    message: string,
    options: ProviderErrorOptions & { possiblyBilled?: boolean | undefined },
  ) {
    super(message, 'timeout', true, options);
    this.possiblyBilled = options.possiblyBilled ?? true;
  }
}

/** The connection failed. Retryable; `possiblyBilled` as for timeouts. */
export class NetworkError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.NetworkError');
  readonly possiblyBilled: boolean;
  constructor(
    message: string,
    options: ProviderErrorOptions & { possiblyBilled?: boolean | undefined },
  ) {
    super(message, 'network_error', true, options);
    this.possiblyBilled = options.possiblyBilled ?? false;
  }
}

/** 5xx from the provider. */
export class ProviderInternalError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.ProviderInternalError');
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, 'provider_error', true, options);
  }
}

/** The provider answered with something that is not what its protocol promises. */
export class InvalidResponseError extends ProviderError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.InvalidResponseError');
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, 'invalid_response', true, options);
  }
}

/** The caller cancelled the call. Not a provider failure. */
export class AbortedError extends OrchestratorError {
  static override readonly marker: symbol = Symbol.for('orchestrator.error.AbortedError');
  constructor(message = 'The call was aborted by the caller.', cause?: unknown) {
    super(message, { code: 'aborted', retryable: false, cause });
  }
}

/** The model does not offer what was asked (embeddings on a chat-only model, say). */
export class UnsupportedFeatureError extends OrchestratorError {
  static override readonly marker: symbol = Symbol.for(
    'orchestrator.error.UnsupportedFeatureError',
  );
  readonly feature: string;
  constructor(modelName: string, feature: string) {
    super(`Model "${modelName}" does not support ${feature}.`, { code: 'unsupported_feature' });
    this.feature = feature;
  }
}
