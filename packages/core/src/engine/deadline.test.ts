import { describe, expect, it } from 'vitest';
import { signalOwnedByCall } from '../util/call-signal.js';
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

describe('signalOwnedByCall', () => {
  it("is true for an engine attempt's options, whose signal fires at the attempt's limit and at the caller's cancellation", async () => {
    const timed = new Deadline(() => Date.now(), 60_000, undefined).attempt(1);
    expect(signalOwnedByCall(timed.options)).toBe(true);
    const timedSignal = timed.options.signal as AbortSignal;
    await new Promise((resolve) => timedSignal.addEventListener('abort', resolve, { once: true }));
    expect((timedSignal.reason as DOMException).name).toBe('TimeoutError');
    timed.dispose();

    const caller = new AbortController();
    const cancelled = new Deadline(() => Date.now(), 60_000, caller.signal).attempt(60_000);
    expect(signalOwnedByCall(cancelled.options)).toBe(true);
    caller.abort(new Error('client went away'));
    expect(((cancelled.options.signal as AbortSignal).reason as Error).message).toBe(
      'client went away',
    );
    cancelled.dispose();
  });

  it("is false for options a caller built, a copy of an attempt's, and none", () => {
    const scope = new Deadline(() => Date.now(), 60_000, undefined).attempt(60_000);
    expect(signalOwnedByCall({ signal: new AbortController().signal })).toBe(false);
    expect(signalOwnedByCall({ ...scope.options })).toBe(false);
    expect(signalOwnedByCall({})).toBe(false);
    expect(signalOwnedByCall(undefined)).toBe(false);
    scope.dispose();
  });
});
