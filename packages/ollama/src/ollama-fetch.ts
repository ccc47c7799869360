import { InvalidResponseError, redactSecrets } from '@orchestrator/core';
import {
  httpErrorFromResponse,
  networkError,
  type OllamaCallContext,
  PROVIDER,
  streamErrorLine,
} from './ollama-error.js';
import { validateNdjsonStream } from './validate-ndjson-stream.js';

/**
 * The `fetch` one call hands the SDK. It is where the adapter gets what the
 * SDK does not give it:
 * - cancellation: the SDK passes no signal for non-streamed calls and only
 *   its own for streamed ones, so the call's signal is joined here, which
 *   cancels this one request (never the others of the same model, as the
 *   SDK's client-wide `abort()` would);
 * - HTTP errors with their status and headers (Retry-After), classified
 *   before the SDK's status check, which keeps only the message;
 * - a validated NDJSON body, so a malformed line or an `{"error"}` line
 *   becomes a typed error instead of being skipped by the SDK's parser.
 */
export function createCallFetch(base: typeof fetch, ctx: OllamaCallContext): typeof fetch {
  return async (input, init) => {
    const own = init?.signal ?? undefined;
    const signal = ctx.signal && own ? AbortSignal.any([ctx.signal, own]) : (ctx.signal ?? own);
    let response: Response;
    try {
      response = await base(input, signal === undefined ? init : { ...init, signal });
    } catch (error) {
      // An abort is mapped by the caller, which knows whether it was a timeout.
      if (signal?.aborted) throw error;
      throw networkError(ctx, error);
    }
    ctx.responded = true;
    if (!response.ok) throw await httpErrorFromResponse(ctx, response);
    if (!ctx.stream || !response.body) return response;
    const body = validateNdjsonStream(
      response.body,
      (value) => {
        const error = (value as { error?: unknown } | null)?.error;
        return typeof error === 'string' ? streamErrorLine(ctx, error) : undefined;
      },
      (line) =>
        new InvalidResponseError(
          redactSecrets(
            `${PROVIDER} (${ctx.model}): malformed line in the response stream: ${JSON.stringify(line.slice(0, 120))}`,
            ctx.secrets,
          ),
          { provider: PROVIDER, model: ctx.model },
        ),
      (error) => (signal?.aborted ? error : networkError(ctx, error)),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
