import {
  AbortedError,
  abortedByTimeout,
  classifyHttpError,
  InvalidResponseError,
  NetworkError,
  OrchestratorError,
  redactSecrets,
  TimeoutError,
} from '@orchestrator/core';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';

export interface ErrorContext {
  readonly provider: string;
  readonly model: string;
  /** Exact secrets (the configured key) to strip from every message. */
  readonly secrets: readonly (string | undefined)[];
  /** The call's signal: aborted by the caller, or by its timeout. */
  readonly signal: AbortSignal | undefined;
}

// Connection failures that happen before a request byte leaves the machine.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Turns whatever the SDK threw into the error class that says what happened:
 * a caller abort or our timeout first (the SDK reports both as aborts), then
 * connection failures, HTTP errors by status and provider code (via
 * `classifyHttpError`), in-band stream errors, and malformed responses. No
 * message keeps a configured key; the SDK error itself is not kept as the
 * cause (its message may quote the key), only its status and codes.
 */
export function mapOpenAIError(error: unknown, context: ErrorContext): OrchestratorError {
  const { provider, model, secrets } = context;
  const prefix = `${provider} (${model})`;
  if (
    context.signal?.aborted ||
    error instanceof APIUserAbortError ||
    AbortedError.isInstance(error)
  ) {
    if (abortedByTimeout(context.signal)) {
      return new TimeoutError(`${prefix}: the call timed out`, {
        provider,
        model,
        possiblyBilled: true,
      });
    }
    return new AbortedError();
  }
  if (OrchestratorError.isInstance(error)) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError(`${prefix}: the request timed out`, {
      provider,
      model,
      possiblyBilled: true,
    });
  }
  if (error instanceof APIConnectionError) return networkError(error.cause ?? error, context);
  if (error instanceof APIError) {
    const body =
      typeof error.error === 'object' && error.error !== null
        ? (error.error as Record<string, unknown>)
        : {};
    const providerCode = stringOf(error.code) ?? stringOf(body.code) ?? stringOf(error.type);
    const message = summarize(messageOf(error, body));
    const status = error.status ?? statusOfStreamError(error.type, providerCode, message);
    return classifyHttpError({
      status,
      message,
      providerCode,
      headers: error.headers,
      provider,
      model,
      requestId: error.requestID ?? undefined,
      secrets,
      cause: {
        name: error.name,
        status: error.status,
        type: error.type,
        code: providerCode,
        param: error.param,
      },
    });
  }
  if (error instanceof SyntaxError) {
    return new InvalidResponseError(
      `${prefix}: malformed JSON in the response (${redactSecrets(error.message, secrets)})`,
      {
        provider,
        model,
      },
    );
  }
  if (error instanceof TypeError) return networkError(error, context);
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof OpenAIError) {
    return new InvalidResponseError(`${prefix}: ${redactSecrets(text, secrets)}`, {
      provider,
      model,
    });
  }
  return new InvalidResponseError(
    `${prefix}: unexpected failure: ${redactSecrets(text, secrets)}`,
    { provider, model },
  );
}

function networkError(cause: unknown, context: ErrorContext): NetworkError {
  const code = errorCode(cause);
  const detail = redactSecrets(describe(cause), context.secrets);
  return new NetworkError(
    `${context.provider} (${context.model}): connection failed${detail ? `: ${detail}` : ''}`,
    {
      provider: context.provider,
      model: context.model,
      possiblyBilled: code === undefined || !NOT_SENT.has(code),
      providerCode: code,
    },
  );
}

/** The first `code` along the cause chain (undici puts `ECONNREFUSED` two levels down). */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (e instanceof Error && e.message) parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return [...new Set(parts)].join(': ');
}

function messageOf(error: APIError, body: Record<string, unknown>): string {
  if (typeof body.message === 'string') return body.message;
  // Non-JSON bodies: the SDK's message is "<status> <body text>".
  return error.message.replace(/^\d{3}\s+/, '');
}

/** HTML error pages (proxies, gateways) say little; keep their title, not the markup. */
function summarize(text: string): string {
  if (/<html|<!doctype|<body/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return `unexpected HTML error page${title ? ` (${title})` : ''}`;
  }
  return text.length > 1_000 ? `${text.slice(0, 1_000)}…` : text;
}

/**
 * An error event inside a 200 stream has no status; infer the one it stands
 * for so it classifies (and retries) like its HTTP twin.
 */
function statusOfStreamError(
  type: string | undefined,
  code: string | undefined,
  message: string,
): number {
  const text = `${type ?? ''} ${code ?? ''} ${message}`;
  if (/overloaded/i.test(text)) return 503;
  if (/insufficient_quota|rate_limit|^\s*(?:requests|tokens)\b/i.test(text)) return 429;
  if (/invalid_api_key|authentication|unauthorized/i.test(text)) return 401;
  if (/invalid_request_error|content_filter|content_policy|context_length/i.test(text)) return 400;
  return 500;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : undefined;
}
