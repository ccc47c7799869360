import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callScope } from './call-signal.js';

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
