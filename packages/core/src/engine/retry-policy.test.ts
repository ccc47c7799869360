import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AuthenticationError,
  ContentPolicyError,
  ContextLengthError,
  InvalidRequestError,
  NetworkError,
  OverloadedError,
  ProviderInternalError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
} from '../errors/provider-errors.js';
import { createSeededRandom } from '../util/random.js';
import { backoffDelay, dispositionOf, RetryBudget, retryAfterOf } from './retry-policy.js';

const p = { provider: 'p' };

describe('dispositionOf', () => {
  it.each([
    [new RateLimitError('429', p), 'retry'],
    [new OverloadedError('529', p), 'retry'],
    [new ProviderInternalError('500', p), 'retry'],
    [new NetworkError('refused before sending', { ...p, possiblyBilled: false }), 'retry'],
    [new NetworkError('reset after sending', { ...p, possiblyBilled: true }), 'fallback'],
    [new TimeoutError('read timeout', { ...p, possiblyBilled: true }), 'fallback'],
    [new AuthenticationError('401', p), 'fallback'],
    [new QuotaExceededError('quota', p), 'fallback'],
    [new ContextLengthError('too long', p), 'fallback'],
    [new InvalidRequestError('400', p), 'stop'],
    [new ContentPolicyError('refused', p), 'stop'],
    [new AbortedError(), 'stop'],
    [new Error('some custom model blew up'), 'fallback'],
  ] as const)('%s → %s', (error, expected) => {
    expect(dispositionOf(error)).toBe(expected);
  });
});

describe('backoff', () => {
  it('is full-jitter exponential, capped', () => {
    const random = createSeededRandom(1);
    for (let retry = 1; retry <= 10; retry++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(retry, 100, 2_000, random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(2_000, 100 * 2 ** (retry - 1)));
      }
    }
    expect(backoffDelay(3, 100, 2_000, () => 0.999999)).toBe(400);
  });

  it('reads only sane retry-after values from errors', () => {
    expect(retryAfterOf(new RateLimitError('x', { ...p, retryAfterMs: 1500 }))).toBe(1500);
    expect(retryAfterOf(new RateLimitError('x', p))).toBeUndefined();
    expect(retryAfterOf({ retryAfterMs: -1 })).toBeUndefined();
    expect(retryAfterOf({ retryAfterMs: Number.NaN })).toBeUndefined();
  });
});

describe('RetryBudget', () => {
  it('bounds retries to a share of recent requests plus a floor, per model and window', () => {
    const budget = new RetryBudget(0.2, 2, 1_000);
    for (let i = 0; i < 100; i++) budget.onRequest('m', 0);
    let granted = 0;
    for (let i = 0; i < 100; i++) if (budget.tryRetry('m', 10)) granted++;
    expect(granted).toBe(22); // 2 + 0.2 × 100
    expect(budget.tryRetry('other', 10)).toBe(true);
    expect(budget.tryRetry('m', 1_000)).toBe(true); // a new window
  });
});
