import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../util/clock.js';
import type { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { RateLimitExceededError } from './rate-limit-exceeded-error.js';
import { RATE_WINDOW_MS, RateLimiter } from './rate-limiter.js';

function setup(config: ConstructorParameters<typeof RateLimiter>[0] = {}) {
  const clock = new ManualClock(1_000_000);
  const store = new MemoryCounterStore({ clock });
  const limiter = new RateLimiter({ store, clock, ...config });
  return { clock, store, limiter };
}

const brokenStore = (mode: 'throw' | 'hang'): CounterStore => {
  const act = <T>(): Promise<T> =>
    mode === 'throw' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise<T>(() => {});
  return { consume: () => act(), refund: () => act(), peek: () => act() };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimiter', () => {
  it('enforces a model RPM and says when to retry', async () => {
    const { limiter, clock } = setup({ perModel: { rpm: 3 } });
    for (let i = 0; i < 3; i++) {
      expect((await limiter.check({ model: 'm', estimatedTokens: 10 })).allowed).toBe(true);
    }
    const refused = await limiter.check({ model: 'm', estimatedTokens: 10 });
    expect(refused).toMatchObject({
      allowed: false,
      limitedBy: { scope: 'model', kind: 'rpm', limit: 3 },
      remaining: { requests: 0 },
    });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(RATE_WINDOW_MS + 1_000);
    clock.advance(refused.retryAfterMs);
    expect((await limiter.check({ model: 'm', estimatedTokens: 10 })).allowed).toBe(true);
  });

  it('keeps other models and users apart', async () => {
    const { limiter } = setup({ perModel: { rpm: 1 }, perUser: { rpm: 1 } });
    expect((await limiter.check({ user: 'a', model: 'm1', estimatedTokens: 1 })).allowed).toBe(
      true,
    );
    expect((await limiter.check({ user: 'b', model: 'm2', estimatedTokens: 1 })).allowed).toBe(
      true,
    );
    expect((await limiter.check({ user: 'a', model: 'm3', estimatedTokens: 1 })).limitedBy).toEqual(
      {
        scope: 'user',
        kind: 'rpm',
        limit: 1,
      },
    );
  });

  it('rolls back earlier buckets when a later one refuses', async () => {
    const { limiter, store } = setup({
      perUser: { rpm: 10, tpm: 10_000 },
      perModel: { tpm: 1_000 },
    });
    expect((await limiter.check({ user: 'u', model: 'm', estimatedTokens: 800 })).allowed).toBe(
      true,
    );
    const refused = await limiter.check({ user: 'u', model: 'm', estimatedTokens: 500 });
    expect(refused.limitedBy).toMatchObject({ scope: 'model', kind: 'tpm' });
    expect((await store.peek('rl:u:u:rpm', RATE_WINDOW_MS)).count).toBe(1);
    expect((await store.peek('rl:u:u:tpm', RATE_WINDOW_MS)).count).toBe(800);
    expect(refused.remaining).toEqual({ requests: 9, tokens: 200 });
  });

  it('admits exactly the limit under concurrency', async () => {
    const { limiter } = setup({ perUser: { rpm: 10 } });
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () =>
        limiter.check({ user: 'u', model: 'm', estimatedTokens: 5 }),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('applies overrides, then model constraints, then defaults, field by field', async () => {
    const { limiter } = setup({
      perModel: { rpm: 100, tpm: 100_000 },
      perUser: { rpm: 5 },
      overrides: { models: { big: { rpm: 1 } }, users: { vip: { rpm: 1_000 } } },
    });
    expect(limiter.limitsForModel('big', { rpm: 50, tpm: 9 })).toEqual({ rpm: 1, tpm: 9 });
    expect(limiter.limitsForModel('small', { tpm: 9 })).toEqual({ rpm: 100, tpm: 9 });
    expect(limiter.limitsForUser('vip')).toEqual({ rpm: 1_000 });
    // Names that exist on Object.prototype find no override.
    expect(limiter.limitsForUser('constructor')).toEqual({ rpm: 5 });
    expect(limiter.limitsForUser('__proto__')).toEqual({ rpm: 5 });
  });

  it('reconciles the TPM estimate with actual usage, once', async () => {
    const { limiter, store } = setup({ perModel: { tpm: 1_000 } });
    const first = await limiter.check({ model: 'm', estimatedTokens: 900 });
    expect((await limiter.check({ model: 'm', estimatedTokens: 300 })).allowed).toBe(false);
    await limiter.reconcile(first.ticket!, 200);
    await limiter.reconcile(first.ticket!, 200);
    expect((await store.peek('rl:m:m:tpm', RATE_WINDOW_MS)).count).toBe(200);
    const second = await limiter.check({ model: 'm', estimatedTokens: 300 });
    expect(second.allowed).toBe(true);
    await limiter.reconcile(second.ticket!, 1_500);
    expect((await store.peek('rl:m:m:tpm', RATE_WINDOW_MS)).count).toBe(1_700);
  });

  it('cancels a request that never went out', async () => {
    const { limiter, store } = setup({ perModel: { rpm: 1, tpm: 100 } });
    const decision = await limiter.check({ model: 'm', estimatedTokens: 50 });
    await limiter.cancel(decision.ticket!);
    expect((await store.peek('rl:m:m:rpm', RATE_WINDOW_MS)).count).toBe(0);
    expect((await store.peek('rl:m:m:tpm', RATE_WINDOW_MS)).count).toBe(0);
    expect((await limiter.check({ model: 'm', estimatedTokens: 50 })).allowed).toBe(true);
  });

  it('checkOrThrow throws a typed error carrying retry-after, scope and limit', async () => {
    const { limiter } = setup({ perUser: { tpm: 100 }, perModel: { rpm: 1 } });
    const tooBig = limiter.checkOrThrow({ user: 'u', model: 'm', estimatedTokens: 101 });
    await expect(tooBig).rejects.toMatchObject({
      code: 'rate_limit_exceeded',
      scope: 'user',
      kind: 'tpm',
      limit: 100,
      retryAfterMs: Number.POSITIVE_INFINITY,
      retryable: false,
    });
    await limiter.checkOrThrow({ model: 'm', estimatedTokens: 1 });
    const error = await limiter
      .checkOrThrow({ model: 'm', estimatedTokens: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    const typed = error as RateLimitExceededError;
    expect(typed).toMatchObject({ scope: 'model', model: 'm', retryable: true });
    expect(typed.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(typed.message).toMatch(/retry after \d+ s/);
  });

  it('fails open by default when the store is down, and closed when configured', async () => {
    const errors: unknown[] = [];
    const open = new RateLimiter({
      store: brokenStore('throw'),
      perModel: { rpm: 1 },
      onError: (e) => errors.push(e),
    });
    expect(await open.check({ model: 'm', estimatedTokens: 1 })).toMatchObject({
      allowed: true,
      degraded: true,
    });
    expect(errors).toHaveLength(1);
    const closed = new RateLimiter({
      store: brokenStore('throw'),
      perModel: { rpm: 1 },
      failMode: 'closed',
    });
    expect(await closed.check({ model: 'm', estimatedTokens: 1 })).toMatchObject({
      allowed: false,
      limitedBy: { scope: 'store' },
      degraded: true,
    });
    await expect(closed.checkOrThrow({ model: 'm', estimatedTokens: 1 })).rejects.toMatchObject({
      scope: 'store',
    });
  });

  it('times out a frozen store quickly', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({
      store: brokenStore('hang'),
      perModel: { rpm: 1 },
      timeoutMs: 40,
    });
    const pending = limiter.check({ model: 'm', estimatedTokens: 1 });
    await vi.advanceTimersByTimeAsync(40);
    expect(await pending).toMatchObject({ allowed: true, degraded: true });
  });

  it('skips per-user buckets without an identity and treats a limit of 0 as blocked', async () => {
    const { limiter } = setup({ perUser: { rpm: 0 }, overrides: { models: { off: { rpm: 0 } } } });
    expect((await limiter.check({ model: 'm', estimatedTokens: 1 })).allowed).toBe(true);
    expect((await limiter.check({ user: 'u', model: 'm', estimatedTokens: 1 })).allowed).toBe(
      false,
    );
    expect((await limiter.check({ model: 'off', estimatedTokens: 1 })).retryAfterMs).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
