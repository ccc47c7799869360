import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import { AuthenticationError, ProviderInternalError } from '../errors/provider-errors.js';
import { CircuitOpenError } from '../errors/registry-errors.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { ModelHealthMonitor } from './model-health-monitor.js';

const clock = { now: () => Date.now() };

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ModelHealthMonitor', () => {
  it('in half-open, exactly one of 100 concurrent callers reaches the model', async () => {
    const monitor = new ModelHealthMonitor({
      clock,
      failureThreshold: 1,
      breakDurationMs: 1_000,
      probeTimeoutMs: 10_000,
    });
    const model = new EchoModel({ name: 'm' });
    monitor.watch(model);
    await expect(
      monitor.execute('m', () =>
        Promise.reject(new ProviderInternalError('500', { provider: 'p' })),
      ),
    ).rejects.toThrow('500');
    expect(monitor.getHealth('m')?.breaker).toBe('open');
    vi.advanceTimersByTime(1_000);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const call = () =>
      monitor.execute('m', async () => {
        await gate; // the probe is in flight while every other caller arrives
        return model.generate({ messages: [{ role: 'user', content: 'probe' }] });
      });
    const calls = Array.from({ length: 100 }, call);
    release(); // every caller has arrived; now let the probe finish
    const results = await Promise.allSettled(calls);
    expect(model.calls).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(99);
    expect(
      refused.every((r) => CircuitOpenError.isInstance((r as PromiseRejectedResult).reason)),
    ).toBe(true);
    expect(monitor.getHealth('m')?.breaker).toBe('closed');
  });

  it('runs active checks on its interval and walks healthy → unhealthy → half-open → healthy', async () => {
    const monitor = new ModelHealthMonitor({
      clock,
      checkInterval: 10_000,
      failureThreshold: 2,
      breakDurationMs: 30_000,
    });
    const model = new EchoModel({ name: 'm' });
    monitor.watch(model);
    const changes: string[] = [];
    monitor.on('health:changed', (c) => changes.push(`${c.from}→${c.to}@${c.at}`));
    monitor.start();

    await vi.advanceTimersByTimeAsync(10_000);
    expect(model.healthChecks).toBe(1);
    expect(monitor.getHealth('m')?.status).toBe('healthy');

    model.healthy = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.getHealth('m')?.status).toBe('degraded');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.getHealth('m')).toMatchObject({
      status: 'unhealthy',
      breaker: 'open',
      retryAt: 60_000,
    });
    expect(monitor.isAvailable('m')).toBe(false);

    // While open, checks do not hit the model until the break is over.
    await vi.advanceTimersByTimeAsync(20_000);
    expect(model.healthChecks).toBe(3);
    model.healthy = true;
    await vi.advanceTimersByTimeAsync(10_000); // t = 60 s: the check is the probe
    expect(model.healthChecks).toBe(4);
    expect(monitor.getHealth('m')?.status).toBe('healthy');
    expect(changes).toEqual([
      'closed→open@30000',
      'open→half_open@60000',
      'half_open→closed@60000',
    ]);
    monitor.stop();
  });

  it('a registry skips an unhealthy model and takes it back after recovery', async () => {
    const monitor = new ModelHealthMonitor({
      clock,
      checkInterval: 5_000,
      failureThreshold: 1,
      breakDurationMs: 20_000,
    });
    const registry = new ModelRegistry({ clock, healthMonitor: monitor });
    const flaky = new EchoModel({ name: 'flaky', capabilities: { qualityScore: 1 } });
    const steady = new EchoModel({ name: 'steady', capabilities: { qualityScore: 0.2 } });
    registry.register(flaky).register(steady);
    const seen: string[] = [];
    registry.on('health:changed', (c) => seen.push(`${c.model}:${c.to}`));
    expect(registry.select().name).toBe('flaky');

    registry.record('flaky', {
      success: false,
      latencyMs: 10,
      error: { code: 'provider_error', message: '503' },
    });
    expect(registry.select().name).toBe('steady');
    monitor.start();
    await vi.advanceTimersByTimeAsync(20_000); // the check at 20 s probes and succeeds
    expect(registry.getModelHealth('flaky').status).toBe('healthy');
    expect(registry.select().name).toBe('flaky');
    expect(seen).toEqual(['flaky:open', 'flaky:half_open', 'flaky:closed']);
    monitor.stop();
  });

  it('an authentication failure takes the model out at once; a caller error does not count', async () => {
    const monitor = new ModelHealthMonitor({ clock, failureThreshold: 5 });
    monitor.watch(new EchoModel({ name: 'm' }));
    const bad = { code: 'invalid_request' };
    for (let i = 0; i < 10; i++)
      await expect(monitor.execute('m', () => Promise.reject(bad))).rejects.toBe(bad);
    expect(monitor.getHealth('m')?.breaker).toBe('closed');
    await expect(
      monitor.execute('m', () => Promise.reject(new AuthenticationError('401', { provider: 'p' }))),
    ).rejects.toThrow('401');
    expect(monitor.getHealth('m')?.breaker).toBe('open');
  });

  it('recordOutcomeOn(breaker) counts passive outcomes exactly as recordOutcome(name)', () => {
    const byName = new ModelHealthMonitor({ clock, failureThreshold: 3 });
    const byBreaker = new ModelHealthMonitor({ clock, failureThreshold: 3 });
    byName.watch(new EchoModel({ name: 'm' }));
    const breaker = byBreaker.watch(new EchoModel({ name: 'm' }));
    const outcomes: [boolean, string | undefined][] = [
      [false, 'invalid_request'], // a caller error: not the model's fault
      [false, 'provider_error'],
      [true, undefined], // a success resets the count
      [false, 'provider_error'],
      [false, 'overloaded'],
      [false, 'provider_error'], // the third in a row opens the breaker
    ];
    for (const [success, code] of outcomes) {
      byName.recordOutcome('m', success, code);
      byBreaker.recordOutcomeOn(breaker, success, code);
      expect(byBreaker.getHealth('m')?.breaker).toBe(byName.getHealth('m')?.breaker);
    }
    expect(byBreaker.getHealth('m')?.breaker).toBe('open');
    const auth = byBreaker.watch(new EchoModel({ name: 'a' }));
    byBreaker.recordOutcomeOn(auth, false, 'authentication_failed');
    expect(byBreaker.getHealth('a')?.breaker).toBe('open');
  });

  it('a check that throws or hangs counts as a failed check', async () => {
    const monitor = new ModelHealthMonitor({ clock, failureThreshold: 1, checkTimeoutMs: 1_000 });
    const model = new EchoModel({ name: 'm' });
    let aborted = false;
    // Hangs and ignores its signal entirely; the monitor must not wait for it.
    model.healthCheck = (signal?: AbortSignal) => {
      signal?.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise(() => {});
    };
    monitor.watch(model);
    const result = monitor.checkNow('m');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toBe(false);
    expect(aborted).toBe(true);
    expect(monitor.getHealth('m')).toMatchObject({
      breaker: 'open',
      lastCheckOk: false,
      lastCheckMessage: 'health check timed out after 1000 ms',
    });
  });
});
