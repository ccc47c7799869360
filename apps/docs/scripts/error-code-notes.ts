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

/** What each gateway (HTTP) error code means; collected from `new ApiError(…)` in the server. */
export const GATEWAY_CODE_NOTES: Readonly<Record<string, string>> = {
  admin_required: 'The route needs an admin key (or a key created with `admin: true`).',
  batch_not_found: 'No batch with that id is visible to this key.',
  budget_exceeded:
    'A budget refused the request before any model was called (the key’s budget, the per-user budget, or the request’s own `maxCost`).',
  circuit_open: 'The only model the request could use has an open circuit breaker.',
  client_closed_request:
    'The client went away; the upstream call was aborted. Logged, rarely seen by anyone.',
  content_policy: 'The provider’s content filter refused the request.',
  context_length_exceeded: 'The prompt does not fit the model’s context window.',
  internal_error:
    'An unexpected failure in the gateway itself; the message says nothing more, the log has the request id.',
  invalid_api_key:
    'The key is unknown, revoked, or malformed. Failed attempts are counted per client address.',
  invalid_json: 'The body is not valid JSON, or is empty.',
  invalid_request: 'A field is missing, of the wrong type or out of range; `param` names it.',
  key_not_found: 'No active key with that id (revoking twice, or a wrong id).',
  missing_api_key: 'No key was sent: use `Authorization: Bearer <key>`, `x-api-key` or `api-key`.',
  model_builtin:
    'The model was handed to `createServer` in code (its `models` option), so it cannot be changed or deleted over HTTP.',
  model_exists: 'A model of that name already exists.',
  model_not_allowed:
    'The key may not use that model. The error does not list the models it may use elsewhere.',
  model_not_found: 'No model of that name is registered (or visible to this key).',
  nesting_too_deep: 'The JSON body is nested deeper than `limits.maxNestingDepth`.',
  no_eligible_models:
    'No available model can serve the request (capabilities, context, limits). The per-model reasons are not sent: they could name other tenants’ models.',
  provider_not_configured:
    'A model was created for a provider that is not live (no key in the environment, or disabled).',
  rate_limit_exceeded:
    'The gateway’s own RPM/TPM limit (the key’s, the user’s or a model’s). Comes with `Retry-After`.',
  request_not_found:
    'Feedback for a request id the gateway does not remember (too old, or never seen).',
  request_too_large:
    'The body is over `server.bodyLimitBytes`; decided while reading, before the body is buffered.',
  route_not_found: 'No such route.',
  too_many_failed_authentications:
    'Too many failed authentications from this address in the last minute (`auth.maxFailuresPerMinute`). Comes with `Retry-After`.',
  unsupported_capability:
    'The model named on a `/api/models/{chat,…}` route lacks that capability.',
  unsupported_media_type: 'The body is not `application/json`.',
  unsupported_parameter:
    'A parameter the gateway does not implement (for example `n` greater than 1).',
  upstream_authentication_failed:
    'The provider rejected the gateway’s own credentials: the operator’s problem, so it is a 502, not a 401.',
  upstream_overloaded: 'The provider is overloaded and no other model answered.',
  upstream_quota_exceeded: 'The provider account is out of quota.',
  upstream_rate_limited:
    'The provider rate-limited every model that was tried. Comes with the shortest `Retry-After` a provider asked for.',
  upstream_timeout: 'The provider did not answer in time.',
};
