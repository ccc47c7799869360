import { OrchestratorError } from '../errors/orchestrator-error.js';
import type { Attempt } from './orchestrator-types.js';

/** Every model the request could go to was tried, and none answered. */
export class AllModelsFailedError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.AllModelsFailedError');
  readonly attempts: readonly Attempt[];
  /** The error of the last attempt: its meaning (rate limit, outage…) is the request's. */
  readonly lastError: unknown;
  /** The shortest wait a provider asked for, when one did. */
  readonly retryAfterMs: number | undefined;

  constructor(attempts: readonly Attempt[], lastError: unknown, retryAfterMs: number | undefined) {
    const summary = attempts
      .map((a) => `${a.model}#${a.try}: ${a.outcome}${a.errorCode ? ` (${a.errorCode})` : ''}`)
      .join(', ');
    super(`No model could answer; attempts: ${summary || 'none'}.`, {
      code: 'all_models_failed',
      retryable: OrchestratorError.isInstance(lastError) ? lastError.retryable : true,
      cause: lastError,
    });
    this.attempts = attempts;
    this.lastError = lastError;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The request is malformed; `param` names the offending field. */
export class InvalidOrchestratorRequestError extends OrchestratorError {
  static override readonly marker = Symbol.for(
    'orchestrator.error.InvalidOrchestratorRequestError',
  );
  readonly param: string;
  constructor(param: string, problem: string) {
    super(`Invalid request: ${param} ${problem}.`, { code: 'invalid_request' });
    this.param = param;
  }
}
