import { describe, expect, it } from 'vitest';
import { attemptLimits, Deadline } from './deadline.js';

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

describe('attemptLimits', () => {
  it("gives an attempt's caller signal and time limit, without making the attempt's signal", () => {
    const caller = new AbortController();
    const deadline = new Deadline(() => 1_000, 5_000, caller.signal, 1_000);
    const scope = deadline.attempt(2_000, 1_000);
    expect(attemptLimits(scope.options)).toEqual({ signal: caller.signal, timeoutMs: 2_000 });
    // The request's deadline caps the attempt's limit.
    const capped = deadline.attempt(60_000, 1_000);
    expect(attemptLimits(capped.options)?.timeoutMs).toBe(5_000);
    // Still usable as before: the signal, once read, aborts with the attempt.
    caller.abort(new Error('gone'));
    expect(scope.options.signal?.aborted).toBe(true);
    scope.dispose();
    capped.dispose();
  });

  it('is undefined for other options, and once the signal was read or the attempt ended', () => {
    const deadline = new Deadline(() => 0, 60_000, undefined, 0);
    expect(attemptLimits(undefined)).toBeUndefined();
    expect(attemptLimits({ signal: new AbortController().signal, timeoutMs: 5 })).toBeUndefined();
    // A copy is not the attempt's: it carries the signal instead.
    const copied = deadline.attempt(1_000, 0);
    expect(attemptLimits({ ...copied.options })).toBeUndefined();
    expect(attemptLimits(copied.options)).toBeUndefined();
    copied.dispose();

    const read = deadline.attempt(1_000, 0);
    void read.options.signal;
    expect(attemptLimits(read.options)).toBeUndefined();
    read.dispose();

    const aborted = deadline.attempt(1_000, 0);
    aborted.abort(new Error('stop'));
    expect(attemptLimits(aborted.options)).toBeUndefined();
    aborted.dispose();

    const disposed = deadline.attempt(1_000, 0);
    expect(attemptLimits(disposed.options)).toBeDefined();
    disposed.dispose();
    expect(attemptLimits(disposed.options)).toBeUndefined();
  });
});
