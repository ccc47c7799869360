import { describe, expect, it } from 'vitest';
import { Deadline } from './deadline.js';

describe('AttemptScope options', () => {
  it('keep their signal when spread, and it aborts with the attempt', () => {
    const scope = new Deadline(() => Date.now(), 60_000, undefined).attempt(60_000);
    const spread = { ...scope.options, timeoutMs: 5 };
    expect(Object.keys(scope.options)).toEqual(['signal']);
    expect(spread.signal).toBeInstanceOf(AbortSignal);
    expect(spread.signal).toBe(scope.options.signal);
    expect(spread.signal?.aborted).toBe(false);
    scope.abort(new Error('stop'));
    expect(spread.signal?.aborted).toBe(true);
    scope.dispose();
  });

  it('give an already aborted signal when first read after the abort', () => {
    const scope = new Deadline(() => Date.now(), 60_000, undefined).attempt(60_000);
    scope.abort(new Error('stop'));
    expect(scope.options.signal?.aborted).toBe(true);
    scope.dispose();
  });
});
