import { ApiError } from '@google/genai';
import {
  AbortedError,
  AuthenticationError,
  abortedByTimeout,
  classifyHttpError,
  InvalidRequestError,
  InvalidResponseError,
  MAX_RETRY_AFTER_MS,
  NetworkError,
  OrchestratorError,
  parseRetryAfter,
  QuotaExceededError,
  RateLimitError,
  redactSecrets,
  TimeoutError,
} from '@orchestrator/core';
import type { CallTrace } from './call-trace.js';

const PROVIDER = 'google';

export interface ErrorContext {
  readonly model: string;
  readonly apiKey: string | undefined;
  /** The signal the call ran under (caller's signal and timeout combined). */
  readonly signal: AbortSignal | undefined;
  readonly trace: CallTrace;
}

interface GoogleErrorPayload {
  readonly code?: number;
  readonly message?: string;
  readonly status?: string;
  readonly details?: readonly Record<string, unknown>[];
}

/**
 * Turns whatever the SDK threw into an error classified by meaning. Google
 * errors arrive as `ApiError` whose message is the JSON error body; the
 * retry delay rides in a `google.rpc.RetryInfo` detail, not a header.
 */
export function toGoogleError(error: unknown, ctx: ErrorContext): OrchestratorError {
  if (OrchestratorError.isInstance(error)) return error;
  const secrets = [ctx.apiKey];
  const cause = sanitizedCause(error, secrets);
  const options = { provider: PROVIDER, model: ctx.model, cause };
  if (ctx.signal?.aborted) {
    if (abortedByTimeout(ctx.signal)) {
      return new TimeoutError(`${PROVIDER} (${ctx.model}): the call timed out.`, {
        ...options,
        possiblyBilled: ctx.trace.sent,
      });
    }
    return new AbortedError(undefined, cause);
  }
  if (
    error instanceof ApiError ||
    (isError(error) && error.name === 'ApiError' && 'status' in error)
  ) {
    return fromApiError(error as ApiError, ctx, cause);
  }
  const message = redactSecrets(isError(error) ? error.message : String(error), secrets);
  if (isNetworkFailure(error)) {
    return new NetworkError(
      `${PROVIDER} (${ctx.model}): connection failed: ${describeNetwork(error)}`,
      {
        ...options,
        possiblyBilled: ctx.trace.status !== undefined,
      },
    );
  }
  if (!ctx.trace.sent && !(error instanceof SyntaxError)) {
    // The SDK refused the request before sending anything (its own validation).
    return new InvalidRequestError(`${PROVIDER} (${ctx.model}): ${message}`, options);
  }
  return new InvalidResponseError(
    `${PROVIDER} (${ctx.model}): the response could not be read: ${truncate(message, 300)}`,
    options,
  );
}

function fromApiError(error: ApiError, ctx: ErrorContext, cause: Error): OrchestratorError {
  const secrets = [ctx.apiKey];
  const status = typeof error.status === 'number' ? error.status : 500;
  const payload = parsePayload(error.message);
  const googleStatus = payload?.status;
  const rawMessage = cleanMessage(payload?.message ?? error.message);
  const details = payload?.details ?? [];
  const options = {
    provider: PROVIDER,
    model: ctx.model,
    status,
    providerCode: googleStatus,
    cause,
  };
  const message = redactSecrets(
    `${PROVIDER} (${ctx.model}): ${rawMessage || `HTTP ${status}`}`,
    secrets,
  );

  // Gemini answers an unknown or expired key with 400 INVALID_ARGUMENT.
  const reason = details.find((d) => typeof d.reason === 'string')?.reason;
  if (
    reason === 'API_KEY_INVALID' ||
    reason === 'API_KEY_EXPIRED' ||
    /API key (?:not valid|expired|is invalid)/i.test(rawMessage)
  ) {
    return new AuthenticationError(message, options);
  }
  const retryDelayMs = retryDelayOf(details);
  const headers: Record<string, string> = {};
  ctx.trace.headers?.forEach((value, key) => {
    headers[key] = value;
  });
  if (retryDelayMs !== undefined) headers['retry-after-ms'] = String(retryDelayMs);
  if (status === 429) {
    // One status for both: a per-minute limit passes, a daily quota or empty balance does not.
    const quotaIds = details.flatMap((d) =>
      Array.isArray(d.violations)
        ? d.violations.map((v: { quotaId?: unknown }) => String(v?.quotaId ?? ''))
        : [],
    );
    if (
      quotaIds.some((id) => /PerDay/i.test(id)) ||
      /credits? (?:are |is )?depleted|prepay|billing account/i.test(rawMessage)
    ) {
      return new QuotaExceededError(message, options);
    }
    return new RateLimitError(message, { ...options, retryAfterMs: parseRetryAfter(headers) });
  }
  return classifyHttpError({
    status,
    message: rawMessage,
    providerCode: googleStatus,
    headers,
    provider: PROVIDER,
    model: ctx.model,
    secrets,
    cause,
  });
}

/** The error body inside an ApiError message (`{…}` or `got status: X. {…}`). */
function parsePayload(text: string): GoogleErrorPayload | undefined {
  const start = text.indexOf('{');
  if (start === -1) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(start));
    const inner = (parsed as { error?: unknown })?.error;
    return typeof inner === 'object' && inner !== null ? (inner as GoogleErrorPayload) : undefined;
  } catch {
    return undefined;
  }
}

/** `RetryInfo.retryDelay` ("3s", "1.5s") in milliseconds, when it is sane. */
export function retryDelayOf(details: readonly Record<string, unknown>[]): number | undefined {
  for (const detail of details) {
    if (!String(detail['@type'] ?? '').endsWith('google.rpc.RetryInfo')) continue;
    const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(String(detail.retryDelay ?? ''));
    if (!match) return undefined;
    const ms = Math.round(Number.parseFloat(match[1]!) * 1000);
    return Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
  }
  return undefined;
}

/** HTML error pages (from a proxy, say) shrink to their text. */
function cleanMessage(text: string): string {
  if (!/<\s*(html|body|head|!doctype|title|h1)\b/i.test(text)) return text.trim();
  const plain = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `non-JSON error body: ${truncate(plain, 200)}`;
}

function isNetworkFailure(error: unknown): boolean {
  if (!isError(error)) return false;
  if (error.name === 'TypeError' && /fetch failed|terminated|network|socket/i.test(error.message))
    return true;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}

function describeNetwork(error: unknown): string {
  const cause = isError(error)
    ? (error.cause as { code?: unknown; message?: unknown } | undefined)
    : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = isError(error) ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}

/** A copy of the SDK error with every secret removed, safe to keep as `cause`. */
function sanitizedCause(error: unknown, secrets: readonly (string | undefined)[]): Error {
  const copy = new Error(redactSecrets(isError(error) ? error.message : String(error), secrets));
  copy.name = isError(error) ? error.name : 'Error';
  const status: unknown = isError(error) ? (error as { status?: unknown }).status : undefined;
  if (typeof status === 'number') Object.assign(copy, { status });
  return copy;
}

function isError(value: unknown): value is Error {
  return value instanceof Error;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
