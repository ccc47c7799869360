import { describe, expect, it } from 'vitest';
import { type BreakerTransition, CircuitBreaker, quietBreakers } from './circuit-breaker.js';

function breaker(options = {}) {
  const transitions: string[] = [];
  const b = new CircuitBreaker(
    {
      failureThreshold: 3,
      breakDurationMs: 1_000,
      maxBreakDurationMs: 8_000,
      probeTimeoutMs: 500,
      ...options,
    },
    (t: BreakerTransition) => transitions.push(`${t.from}→${t.to}`),
  );
  return { b, transitions };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures; a success resets the count', () => {
    const { b, transitions } = breaker();
    b.record(false, 0);
    b.record(false, 0);
    b.record(true, 0);
    b.record(false, 0);
    b.record(false, 0);
    expect(b.state).toBe('closed');
    b.record(false, 0);
    expect(b.state).toBe('open');
    expect(b.tryAcquire(999)).toBeUndefined();
    expect(transitions).toEqual(['closed→open']);
  });

  it('recordSuccess() is record(true) without a time: resets the count, closes a half-open breaker', () => {
    const { b, transitions } = breaker();
    b.record(false, 0);
    b.record(false, 0);
    b.recordSuccess();
    expect(b.consecutiveFailures).toBe(0);
    b.record(false, 0);
    b.record(false, 0);
    expect(b.state).toBe('closed');
    b.trip(0, 'test');
    b.tryAcquire(1_000);
    expect(b.state).toBe('half_open');
    b.recordSuccess();
    expect(b.state).toBe('closed');
    expect(transitions).toEqual(['closed→open', 'open→half_open', 'half_open→closed']);
  });

  it('flags itself quiet (closed, no failure counted) in quietBreakers(), and only then', () => {
    const { b } = breaker();
    const others = Array.from({ length: 2_000 }, () => new CircuitBreaker());
    const quiet = () => quietBreakers()[b.id];
    expect(quiet()).toBe(1);
    b.record(false, 0);
    expect(quiet()).toBe(0);
    b.recordSuccess();
    expect(quiet()).toBe(1);
    b.trip(0, 'test');
    expect(quiet()).toBe(0);
    b.tryAcquire(1_000)!.success(1_000);
    expect(b.state).toBe('closed');
    expect(quiet()).toBe(1);
    b.record(false, 0);
    b.reset();
    expect(quiet()).toBe(1);
    // Ids are distinct, and the flags grow to hold every breaker made.
    others[1_999]!.record(false, 0);
    expect(new Set([b.id, ...others.map((o) => o.id)]).size).toBe(2_001);
    expect(quietBreakers()[others[1_999]!.id]).toBe(0);
    expect(quietBreakers()[others[1_998]!.id]).toBe(1);
  });

  it('half-open lets exactly one probe through; its success closes the breaker', () => {
    const { b, transitions } = breaker();
    b.trip(0, 'test');
    const probe = b.tryAcquire(1_000);
    expect(probe?.probe).toBe(true);
    expect(b.state).toBe('half_open');
    expect(b.tryAcquire(1_001)).toBeUndefined();
    expect(b.canPass(1_001)).toBe(false);
    probe!.success(1_010);
    expect(b.state).toBe('closed');
    expect(b.tryAcquire(1_011)?.probe).toBe(false);
    expect(transitions).toEqual(['closed→open', 'open→half_open', 'half_open→closed']);
  });

  it('needs recoveryThreshold probe successes, one probe at a time', () => {
    const { b } = breaker({ recoveryThreshold: 2 });
    b.trip(0, 'test');
    b.tryAcquire(1_000)!.success(1_001);
    expect(b.state).toBe('half_open');
    const second = b.tryAcquire(1_002)!;
    expect(b.tryAcquire(1_002)).toBeUndefined();
    second.success(1_003);
    expect(b.state).toBe('closed');
  });

  it('a failed probe reopens for twice as long, up to the maximum; recovery resets the growth', () => {
    const { b } = breaker();
    b.trip(0, 'test');
    expect(b.retryAt).toBe(1_000);
    b.tryAcquire(1_000)!.failure(1_000);
    expect(b.retryAt).toBe(3_000);
    b.tryAcquire(3_000)!.failure(3_000);
    expect(b.retryAt).toBe(7_000);
    b.tryAcquire(7_000)!.failure(7_000);
    expect(b.retryAt).toBe(15_000);
    b.tryAcquire(15_000)!.failure(15_000);
    expect(b.retryAt).toBe(23_000); // capped at 8 s
    b.tryAcquire(23_000)!.success(23_000);
    expect(b.state).toBe('closed');
    b.trip(30_000, 'again');
    expect(b.retryAt).toBe(31_000);
  });

  it('a hung probe times out: the breaker reopens and the late report is ignored', () => {
    const { b } = breaker();
    b.trip(0, 'test');
    const hung = b.tryAcquire(1_000)!;
    expect(b.tryAcquire(1_499)).toBeUndefined();
    expect(b.tryAcquire(1_500)).toBeUndefined(); // timed out → open again, for 2 s
    expect(b.state).toBe('open');
    hung.success(1_600);
    expect(b.state).toBe('open');
    expect(b.tryAcquire(3_500)?.probe).toBe(true);
  });

  it('a permanent failure (bad key) opens it at once', () => {
    const { b } = breaker();
    b.record(false, 0, true);
    expect(b.state).toBe('open');
  });

  it('a cancelled probe frees the slot without a verdict', () => {
    const { b } = breaker();
    b.trip(0, 'test');
    b.tryAcquire(1_000)!.cancel();
    expect(b.state).toBe('half_open');
    expect(b.tryAcquire(1_001)?.probe).toBe(true);
  });

  it('validates its options', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(/failureThreshold/);
  });
});
