/**
 * What each error code means, in words, keyed by code. The codes themselves
 * are collected from the sources by `generate-error-codes.ts`; a code found
 * there without an entry here is listed with its class only, and the build
 * prints a warning so the sentence can be added.
 */
export const ERROR_CODE_NOTES: Readonly<Record<string, string>> = {
  orchestrator_error: 'The base class’s default code, used only by errors that set none.',
  rate_limited:
    'The provider answered 429 (or its own rate-limit code). Carries `retryAfterMs` when the provider sent `Retry-After` / `retry-after-ms` and it parsed.',
  quota_exceeded:
    'The provider account is out of quota or credit (OpenAI `insufficient_quota`, Hugging Face 402). Waiting will not help on this model; another may serve.',
  authentication_failed:
    'The provider rejected the key (401/403). Opens the model’s circuit breaker at once: a bad key does not heal by retrying.',
  invalid_request:
    'The request itself is wrong: a provider 400/404/422, or the orchestrator’s own validation (`InvalidOrchestratorRequestError`, with `param` naming the field). Never retried, never sent elsewhere.',
  context_length_exceeded:
    'The prompt plus output does not fit the model’s context window. Another model with a larger window may serve.',
  content_policy:
    'The provider’s content filter refused the request. Stops the request: another model would be asked the same thing.',
  overloaded:
    'The provider is overloaded (HTTP 529, 503 “server busy”, TGI’s queue-full 429, Hugging Face’s 503 “model is loading”, or an `overloaded_error` as the first event of a stream).',
  timeout:
    'No answer in time. `possiblyBilled` is set when the request body had been sent: the work may have run (and be billed), so it is not repeated on the same model.',
  network_error:
    'The connection failed (refused, reset, DNS). With `possiblyBilled` unset the request never reached the provider and may be retried.',
  provider_error: 'The provider failed on its side (HTTP 5xx).',
  invalid_response:
    'The provider answered with something that is not what its API promises: HTML instead of JSON, malformed JSON, a surprise shape, a stream that ended without a finish.',
  aborted:
    'The caller cancelled. Not a provider failure: it does not count against the model’s health.',
  unsupported_feature:
    'The model lacks the capability the call needs (embeddings, images, audio). Options a model cannot honour inside a chat request are warnings on the response instead.',
  model_not_found:
    'No model of that name is registered. The message suggests a close name when there is one.',
  duplicate_model: 'A model of that name is already registered; names are unique in a registry.',
  invalid_model_config:
    'A `Model` was constructed with bad settings (a negative price, a context window of zero…); the message names the field.',
  no_eligible_models:
    'No registered model meets the request’s criteria. `exclusions` lists every model with every reason it was ruled out.',
  circuit_open:
    'The model’s circuit breaker is open (or half-open with its one probe in flight): the call was refused without reaching the provider.',
  rate_limit_exceeded:
    'The orchestrator’s own RPM/TPM limit turned the request away (scope `model`, `user` or `store`); carries `retryAfterMs`. Retryable only for a model’s limit.',
  budget_exceeded:
    'A budget refused the request before any model was called: its worst-case cost is over the per-request cap, or would take the user past the period budget.',
  budget_unavailable: 'The budget ledger could not be reached and budgets fail closed.',
  all_models_failed:
    'Every model the request could go to was tried and none answered. `attempts` lists each try; `lastError` carries the meaning (rate limit, outage…); `retryAfterMs` is the shortest wait a provider asked for.',
  redis_unavailable:
    'A Redis operation failed (not connected, connection lost, a command error). Stores reject with it rather than hang; callers apply their fail-open or fail-closed choice.',
  redis_timeout:
    'Redis accepted the connection but did not answer within the operation timeout (a frozen or overloaded server).',
};
