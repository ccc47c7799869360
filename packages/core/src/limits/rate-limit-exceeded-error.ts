import { OrchestratorError } from '../errors/orchestrator-error.js';

export type RateLimitScope = 'user' | 'model' | 'store';
export type RateLimitKind = 'rpm' | 'tpm';

export interface RateLimitExceededOptions {
  readonly scope: RateLimitScope;
  readonly kind?: RateLimitKind | undefined;
  /** The limit that was hit (requests or tokens per window). */
  readonly limit?: number | undefined;
  /** Milliseconds until the request could be admitted; `Infinity` when it never can. */
  readonly retryAfterMs: number;
  /** The model, when a model's limit was hit. Users are never named: the error goes to a client. */
  readonly model?: string | undefined;
  readonly cause?: unknown;
}

/**
 * The orchestrator's own RPM/TPM limit turned a request away (a provider's
 * 429 is `RateLimitError` instead). Retryable only for a model's limit, where
 * another model may serve the request at once; a user's limit is the same on
 * every model, and the caller should wait `retryAfterMs`.
 */
export class RateLimitExceededError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.RateLimitExceededError');
  readonly scope: RateLimitScope;
  readonly kind: RateLimitKind | undefined;
  readonly limit: number | undefined;
  readonly retryAfterMs: number;
  readonly model: string | undefined;

  constructor(options: RateLimitExceededOptions) {
    super(describe(options), {
      code: 'rate_limit_exceeded',
      retryable: options.scope === 'model' && Number.isFinite(options.retryAfterMs),
      cause: options.cause,
    });
    this.scope = options.scope;
    this.kind = options.kind;
    this.limit = options.limit;
    this.retryAfterMs = options.retryAfterMs;
    this.model = options.model;
  }

  /** Whole seconds for a `Retry-After` header; undefined when retrying cannot help. */
  get retryAfterSeconds(): number | undefined {
    return Number.isFinite(this.retryAfterMs)
      ? Math.max(1, Math.ceil(this.retryAfterMs / 1000))
      : undefined;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      scope: this.scope,
      kind: this.kind,
      limit: this.limit,
      retryAfterMs: Number.isFinite(this.retryAfterMs) ? this.retryAfterMs : null,
      model: this.model,
    };
  }
}

function describe(options: RateLimitExceededOptions): string {
  if (options.scope === 'store') {
    return 'Rate limits could not be checked (counter store unavailable); try again shortly.';
  }
  const unit = options.kind === 'tpm' ? 'tokens per minute' : 'requests per minute';
  const who = options.scope === 'model' ? `model "${options.model ?? '?'}"` : 'this user';
  const limit = options.limit === undefined ? '' : ` of ${options.limit} ${unit}`;
  if (!Number.isFinite(options.retryAfterMs)) {
    return `The request alone exceeds the limit${limit} for ${who}; it can never be admitted.`;
  }
  const seconds = Math.max(1, Math.ceil(options.retryAfterMs / 1000));
  return `Rate limit${limit} reached for ${who}; retry after ${seconds} s.`;
}
