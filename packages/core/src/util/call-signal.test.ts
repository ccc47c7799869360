import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { abortedByTimeout, callScope, timedCallScope } from './call-signal.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('callScope', () => {
  it('aborts on its timeout and says so', () => {
    const scope = callScope({ timeoutMs: 100 });
    vi.advanceTimersByTime(99);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.signal.aborted).toBe(true);
    expect(scope.timedOut()).toBe(true);
    expect((scope.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('follows the caller, and after dispose neither the timer nor the caller reach it', () => {
    const caller = new AbortController();
    const a = callScope({ signal: caller.signal, timeoutMs: 100 });
    caller.abort(new Error('stop'));
    expect(a.signal.aborted).toBe(true);
    expect(a.timedOut()).toBe(false);
    const other = new AbortController();
    const b = callScope({ signal: other.signal, timeoutMs: 100 });
    b.dispose();
    vi.advanceTimersByTime(200);
    other.abort();
    expect(b.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an already-aborted caller signal aborts at once', () => {
    expect(callScope({ signal: AbortSignal.abort() }).signal.aborted).toBe(true);
  });
});

describe('callScope stop()', () => {
  it('aborts the call with an AbortError, not a timeout, even without a caller or timeout', () => {
    const scope = callScope(undefined);
    scope.stop();
    expect(scope.signal.aborted).toBe(true);
    expect((scope.signal.reason as DOMException).name).toBe('AbortError');
    expect(scope.timedOut()).toBe(false);
    expect(abortedByTimeout(scope.signal)).toBe(false);
  });

  it('leaves the caller signal alone', () => {
    const caller = new AbortController();
    const scope = callScope({ signal: caller.signal, timeoutMs: 100 });
    scope.stop();
    expect(caller.signal.aborted).toBe(false);
    scope.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('timedCallScope', () => {
  it('passes the caller signal through untouched when the call has no timeout', () => {
    const caller = new AbortController();
    for (const timeoutMs of [undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const call = timedCallScope({
        signal: caller.signal,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      expect(call.signal).toBe(caller.signal);
      call.dispose();
    }
    expect(timedCallScope(undefined).signal).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with a timeout (its own or the default), aborts with a TimeoutError and follows the caller', () => {
    const viaDefault = timedCallScope(undefined, 50);
    vi.advanceTimersByTime(50);
    expect(abortedByTimeout(viaDefault.signal)).toBe(true);

    const caller = new AbortController();
    const call = timedCallScope({ signal: caller.signal, timeoutMs: 100 }, 5);
    expect(call.signal).not.toBe(caller.signal);
    vi.advanceTimersByTime(10);
    const signal = call.signal as AbortSignal;
    expect(signal.aborted).toBe(false);
    caller.abort(new Error('caller'));
    expect((signal.reason as Error).message).toBe('caller');
    expect(abortedByTimeout(call.signal)).toBe(false);
  });

  it('dispose clears the timer', () => {
    const call = timedCallScope({ timeoutMs: 100 });
    expect(vi.getTimerCount()).toBe(1);
    call.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(200);
    expect(call.signal?.aborted).toBe(false);
  });
});
