import type { FaultScript } from '../fault-script.js';

/**
 * Which error shape a route answers in: `tgi` is what TGI, dedicated
 * Inference Endpoints and hf-inference send (`{"error": "…", "error_type": "…"}`);
 * `openai` is what third-party providers behind the router send
 * (`{"error": {"message": "…", "type": "…", "code": …}}`).
 */
export type ErrorShape = 'tgi' | 'openai';

const TGI_TYPES: Readonly<Record<number, string>> = {
  400: 'validation',
  422: 'validation',
  424: 'generation',
  429: 'overloaded',
  500: 'incomplete_generation',
};

function defaultMessage(status: number, model: string, shape: ErrorShape): string {
  switch (status) {
    case 400:
      return 'Bad Request: invalid request body';
    case 401:
      return 'Invalid credentials in Authorization header';
    case 402:
      return 'You have exceeded your monthly included credits for Inference Providers.';
    case 403:
      return 'This authentication method does not have sufficient permissions to call Inference Providers.';
    case 404:
      return `Model ${model} does not exist`;
    case 422:
      return 'Input validation error: `temperature` must be strictly positive';
    case 429:
      return shape === 'tgi' ? 'Model is overloaded' : 'Rate limit reached. Please retry later.';
    case 503:
      return 'Service Unavailable';
    default:
      return status >= 500 ? 'Request failed during generation: Server error' : `HTTP ${status}`;
  }
}

/** The body of an error reply in the route's shape, from the script's type and message. */
export function errorBody(
  status: number,
  model: string,
  shape: ErrorShape,
  script?: FaultScript,
): Record<string, unknown> {
  const message = script?.errorMessage ?? defaultMessage(status, model, shape);
  if (shape === 'openai') {
    return {
      error: {
        message,
        type: script?.errorType ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
        code: null,
      },
    };
  }
  // TGI's own type only comes with TGI's own message; a scripted message without a type has none.
  const type =
    script?.errorType ?? (script?.errorMessage === undefined ? TGI_TYPES[status] : undefined);
  return type === undefined ? { error: message } : { error: message, error_type: type };
}

/** The 503 a cold model answers with while it loads. */
export function loadingBody(model: string, estimatedTimeSec: number): Record<string, unknown> {
  return { error: `Model ${model} is currently loading`, estimated_time: estimatedTimeSec };
}

/** A fault script that answers the next `times` requests with the 503 "is currently loading" reply. */
export function loadingScript(
  model: string,
  estimatedTimeSec = 20,
  times = 1,
  match?: FaultScript['match'],
): FaultScript {
  return {
    status: 503,
    body: loadingBody(model, estimatedTimeSec),
    times,
    ...(match ? { match } : {}),
  };
}
