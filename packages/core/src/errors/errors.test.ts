import { describe, expect, it } from 'vitest';
import { classifyHttpError } from './classify-provider-error.js';
import { OrchestratorError } from './orchestrator-error.js';
import { parseRetryAfter } from './parse-retry-after.js';
import {
  AuthenticationError,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  OverloadedError,
  ProviderError,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
} from './provider-errors.js';
import { redactSecrets } from './redact.js';
import { ModelNotFoundError } from './registry-errors.js';

describe('OrchestratorError.isInstance', () => {
  it('recognizes the class and its ancestors, not its siblings', () => {
    const e = new ContextLengthError('too long', { provider: 'openai' });
    expect(ContextLengthError.isInstance(e)).toBe(true);
    expect(InvalidRequestError.isInstance(e)).toBe(true);
    expect(ProviderError.isInstance(e)).toBe(true);
    expect(OrchestratorError.isInstance(e)).toBe(true);
    expect(RateLimitError.isInstance(e)).toBe(false);
    expect(ModelNotFoundError.isInstance(e)).toBe(false);
    expect(OrchestratorError.isInstance(new Error('plain'))).toBe(false);
    expect(OrchestratorError.isInstance(null)).toBe(false);
  });

  it('works across copies of the package (marker, not prototype)', () => {
    const e = new RateLimitError('slow down', { provider: 'x' });
    const copy = Object.assign(Object.create(null), e);
    Object.defineProperty(copy, Symbol.for('orchestrator.error.markers'), {
      value: new Set([Symbol.for('orchestrator.error.RateLimitError')]),
    });
    expect(RateLimitError.isInstance(copy)).toBe(true);
    expect(e.code).toBe('rate_limited');
    expect(e.name).toBe('RateLimitError');
  });
});

describe('classifyHttpError', () => {
  const cases: [
    number,
    string,
    string | undefined,
    new (...a: never[]) => ProviderError,
    boolean,
  ][] = [
    [429, 'Rate limit reached for requests', 'rate_limit_exceeded', RateLimitError, true],
    [429, 'You exceeded your current quota', 'insufficient_quota', QuotaExceededError, false],
    [401, 'Incorrect API key provided', undefined, AuthenticationError, false],
    [403, 'Permission denied', undefined, AuthenticationError, false],
    [
      400,
      "This model's maximum context length is 8192 tokens",
      'context_length_exceeded',
      ContextLengthError,
      false,
    ],
    [
      400,
      'Your request was rejected by our content filter',
      'content_filter',
      ContentPolicyError,
      false,
    ],
    [400, 'Invalid value for temperature', undefined, InvalidRequestError, false],
    [404, 'model not found', undefined, InvalidRequestError, false],
    [413, 'Request too large', undefined, ContextLengthError, false],
    [500, 'boom', undefined, ProviderInternalError, true],
    [502, 'bad gateway', undefined, ProviderInternalError, true],
    [503, 'unavailable', undefined, ProviderInternalError, true],
    [504, 'timeout', undefined, ProviderInternalError, true],
    [408, 'request timeout', undefined, ProviderInternalError, true],
    [409, 'conflict', undefined, ProviderInternalError, true],
    [529, 'Overloaded', 'overloaded_error', OverloadedError, true],
  ];
  it.each(cases)('%i %s → %s', (status, message, providerCode, expected, retryable) => {
    const e = classifyHttpError({ status, message, providerCode, provider: 'p' });
    expect(e).toBeInstanceOf(expected);
    expect(e.retryable).toBe(retryable);
    expect(e.status).toBe(status);
  });

  it('carries Retry-After on rate limits', () => {
    const e = classifyHttpError({ status: 429, provider: 'p', headers: { 'Retry-After': '3' } });
    expect(RateLimitError.isInstance(e) && e.retryAfterMs).toBe(3000);
  });

  it('never repeats a key that the provider echoed back', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
    const e = classifyHttpError({
      status: 401,
      provider: 'openai',
      message: `Incorrect API key provided: ${key}. See https://x.test/v1?key=AIzaSyA-1234567890abcdefghijk`,
      secrets: [key],
    });
    expect(e.message).not.toContain(key);
    expect(e.message).not.toContain('AIzaSyA-1234567890abcdefghijk');
    expect(JSON.stringify(e)).not.toContain(key);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': '99999999' }, undefined],
    [{ 'retry-after-ms': 'NaN', 'retry-after': '1' }, 1000],
    [{}, undefined],
  ] as const)('%j → %s', (headers, expected) => {
    expect(parseRetryAfter(headers, now)).toBe(expected);
  });

  it('reads a Fetch Headers object', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '4' }), now)).toBe(4000);
  });
});

describe('redactSecrets', () => {
  it.each([
    'sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'hf_abcdefghijklmnopqrstu',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
  ])('removes %s', (secret) => {
    const out = redactSecrets(`failed with ${secret} in it`);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('keeps the name of a query parameter but not its value', () => {
    expect(redactSecrets('GET /v1beta/models?key=abc123secret&alt=sse')).toBe(
      'GET /v1beta/models?key=[REDACTED]&alt=sse',
    );
  });
});
