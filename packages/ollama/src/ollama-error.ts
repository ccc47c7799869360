import {
  AbortedError,
  abortedByTimeout,
  ContextLengthError,
  classifyHttpError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  OrchestratorError,
  OverloadedError,
  type ProviderError,
  ProviderInternalError,
  parseRetryAfter,
  redactSecrets,
  TimeoutError,
} from '@orchestrator/core';

import type { NdjsonLineStats } from './ndjson-line-reader.js';

export const PROVIDER = 'ollama';

/** What error mapping needs to know about one call. */
export interface OllamaCallContext {
  readonly model: string;
  /** Where the server is, without credentials, for messages. */
  readonly host: string;
  readonly secrets: readonly string[];
  readonly signal: AbortSignal | undefined;
  /** Validate and re-frame the NDJSON body (streamed calls). */
  readonly stream: boolean;
  /** Set once response headers arrived. */
  responded: boolean;
  /** Lines of a streamed body handed to the SDK, and messages it yielded (set by the call's fetch). */
  lines?: NdjsonLineStats;
  /** What the call was doing, when it is not a generation (`pulling "x" from …`); errors say it failed. */
  readonly action?: string;
}

const MODEL_NOT_FOUND = /model\s+['"]?[^'"]*['"]?\s+not found/i;
const SERVER_BUSY = /server busy|maximum pending requests/i;
/** Messages of errors the SDK itself throws. */
const SDK_OWN = /^(?:Did not receive done|Missing body)/;
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function prefix(ctx: OllamaCallContext): string {
  return `${PROVIDER} (${ctx.model})${ctx.action ? `: ${ctx.action} failed` : ''}`;
}

/** Text of a non-JSON error body, short: an HTML page's title, or its text without tags. */
export function summarizeErrorBody(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  const plain = (title || text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

/** An HTTP failure by meaning, with Ollama's specifics: a missing model, a busy server. */
export function classifyOllamaHttpError(
  ctx: OllamaCallContext,
  status: number,
  message: string,
  headers: Headers | undefined,
): ProviderError {
  const options = { provider: PROVIDER, model: ctx.model, status };
  if (status === 404 && MODEL_NOT_FOUND.test(message)) {
    return new InvalidRequestError(
      redactSecrets(
        `${prefix(ctx)}: ${message}. The model is not installed on ${ctx.host}: run \`ollama pull ${ctx.model}\`, or use LazyOllamaModel, which pulls it on first use.`,
        ctx.secrets,
      ),
      { ...options, providerCode: 'model_not_found' },
    );
  }
  if (status === 503 && SERVER_BUSY.test(message)) {
    return new OverloadedError(redactSecrets(`${prefix(ctx)}: ${message}`, ctx.secrets), {
      ...options,
      retryAfterMs: parseRetryAfter(headers),
    });
  }
  return classifyHttpError({
    ...options,
    message: ctx.action ? `${ctx.action} failed: ${message}` : message,
    ...(headers === undefined ? {} : { headers }),
    secrets: ctx.secrets,
  });
}

/** Reads an error response and classifies it. */
export async function httpErrorFromResponse(
  ctx: OllamaCallContext,
  response: Response,
): Promise<ProviderError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body could not be read; the status alone will do.
  }
  let message: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: unknown } | null)?.error;
    if (typeof error === 'string') message = error;
    else if (typeof (error as { message?: unknown } | undefined)?.message === 'string') {
      message = (error as { message: string }).message;
    }
  } catch {
    // Not JSON: an HTML page from a proxy, say.
  }
  message ??= text.trim()
    ? `HTTP ${response.status}: ${summarizeErrorBody(text)}`
    : `HTTP ${response.status}`;
  return classifyOllamaHttpError(ctx, response.status, message, response.headers);
}

/** An `{"error": …}` line inside a 200 stream: the run (or the pull) failed after it started. */
export function streamErrorLine(ctx: OllamaCallContext, message: string): ProviderError {
  const text = redactSecrets(`${prefix(ctx)}: ${message}`, ctx.secrets);
  if (/context length|context window|too long/i.test(message)) {
    return new ContextLengthError(text, { provider: PROVIDER, model: ctx.model });
  }
  // A pull of a name the registry does not know: trying again will not help.
  if (/file does not exist|manifest unknown|not found|invalid model name/i.test(message)) {
    return new InvalidRequestError(text, {
      provider: PROVIDER,
      model: ctx.model,
      providerCode: 'model_not_found',
    });
  }
  return new ProviderInternalError(text, {
    provider: PROVIDER,
    model: ctx.model,
    providerCode: 'stream_error',
  });
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A failure of the connection: refused before anything was sent, or cut mid-response. */
export function networkError(ctx: OllamaCallContext, error: unknown): NetworkError {
  const code = causeCode(error);
  const connect = code !== undefined && CONNECT_CODES.has(code);
  const message = connect
    ? `${prefix(ctx)}: cannot reach Ollama at ${ctx.host} (${code}). Is the server running (\`ollama serve\`)?`
    : `${prefix(ctx)}: the connection to ${ctx.host} failed${ctx.responded ? ' mid-response' : ''}${code ? ` (${code})` : ''}.`;
  return new NetworkError(redactSecrets(message, ctx.secrets), {
    provider: PROVIDER,
    model: ctx.model,
    possiblyBilled: !connect,
  });
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  return (
    error.message === 'fetch failed' ||
    error.message === 'terminated' ||
    causeCode(error) !== undefined
  );
}

/** A line of a streamed body that is not JSON. */
export function malformedLineError(
  ctx: OllamaCallContext,
  line: Uint8Array | undefined,
  count = 1,
): InvalidResponseError {
  const text = line ? new TextDecoder().decode(line).trim().slice(0, 120) : '';
  return new InvalidResponseError(
    redactSecrets(
      `${prefix(ctx)}: malformed line in the response stream${count > 1 ? ` (${count} lines)` : ''}: ${JSON.stringify(text)}`,
      ctx.secrets,
    ),
    { provider: PROVIDER, model: ctx.model },
  );
}

/** The error for lines the SDK skipped because they were not JSON, if it skipped any. */
export function skippedLinesError(ctx: OllamaCallContext): InvalidResponseError | undefined {
  const lines = ctx.lines;
  if (!lines || lines.delivered <= lines.received) return undefined;
  // Only on this error path is a line parsed here: to name the one the SDK dropped.
  const bad = lines.lastBatch.find((line) => {
    try {
      JSON.parse(new TextDecoder().decode(line));
      return false;
    } catch {
      return true;
    }
  });
  return malformedLineError(ctx, bad, lines.delivered - lines.received);
}

/**
 * Counts a message the SDK yielded from a stream. At the final message
 * (after which the SDK reads no more) every line handed to it must have
 * become a message; a line it skipped (it drops lines that are not JSON)
 * is an error, not a complete stream.
 */
export function noteStreamMessage(ctx: OllamaCallContext, final: boolean): void {
  const lines = ctx.lines;
  if (!lines) return;
  lines.received++;
  if (final && lines.delivered !== lines.received) {
    throw (
      skippedLinesError(ctx) ?? malformedLineError(ctx, undefined, lines.received - lines.delivered)
    );
  }
}

/** Maps whatever a call threw to the error class that says what happened. */
export function mapOllamaError(error: unknown, ctx: OllamaCallContext): OrchestratorError {
  if (OrchestratorError.isInstance(error)) return error as OrchestratorError;
  if (ctx.signal?.aborted) {
    if (abortedByTimeout(ctx.signal)) {
      // The request had gone out: the server may have done the work.
      return new TimeoutError(`${prefix(ctx)}: the call timed out`, {
        provider: PROVIDER,
        model: ctx.model,
      });
    }
    return new AbortedError();
  }
  const options = { provider: PROVIDER, model: ctx.model };
  const e = error as
    | { name?: unknown; status_code?: unknown; error?: unknown; message?: unknown }
    | undefined;
  // The SDK's own ResponseError, should a response ever reach its status check.
  if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
    return classifyOllamaHttpError(
      ctx,
      e.status_code,
      String(e.error ?? e.message ?? ''),
      undefined,
    );
  }
  if (isNetworkFailure(error)) return networkError(ctx, error);
  // The SDK turns an {"error": …} line into a plain Error with the server's message.
  if (
    ctx.lines?.errorLine &&
    error instanceof Error &&
    error.constructor === Error &&
    !SDK_OWN.test(error.message)
  ) {
    return streamErrorLine(ctx, error.message);
  }
  const skipped = skippedLinesError(ctx);
  if (skipped) return skipped;
  if (error instanceof SyntaxError) {
    return new InvalidResponseError(`${prefix(ctx)}: the response is not valid JSON`, options);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/did not receive done/i.test(message)) {
    return new InvalidResponseError(
      `${prefix(ctx)}: the stream ended before its final message`,
      options,
    );
  }
  return new InvalidResponseError(
    redactSecrets(`${prefix(ctx)}: unexpected failure: ${message}`, ctx.secrets),
    options,
  );
}
