import assert from 'node:assert/strict';
import type { CounterStore } from '../limits/counter-store.js';
import { ManualClock } from '../util/clock.js';
import type { BehaviourCase } from './behaviour-case.js';
import { expectFields, seededRandom } from './expect-fields.js';

const W = 60_000;

export interface CounterStoreCaseOptions {
  /** Rounds of the randomized sliding-window case (default 5,000; a remote store may want fewer). */
  readonly randomRounds?: number;
}

/**
 * The behaviour every `CounterStore` promises (sliding window of slots, whole
 * amounts, refunds into the slot counted in), as cases to run against a fresh
 * store on its own key space that reads time from `clock`.
 */
export function counterStoreCases(
  make: (clock: ManualClock) => Promise<CounterStore>,
  options: CounterStoreCaseOptions = {},
): BehaviourCase[] {
  const rounds = options.randomRounds ?? 5_000;
  return [
    {
      name: 'admits only whole amounts that fit and counts nothing when refusing',
      async run() {
        const store = await make(new ManualClock(0));
        const fields = { allowed: true, count: 7, remaining: 3 };
        expectFields(await store.consume('k', 7, 10, W), fields, 'first');
        expectFields(await store.consume('k', 5, 10, W), { ...fields, allowed: false }, 'refused');
        expectFields(
          await store.consume('k', 3, 10, W),
          { allowed: true, count: 10, remaining: 0 },
          'last',
        );
        assert.equal((await store.peek('k', W)).count, 10);
      },
    },
    {
      name: 'slides: usage leaves one window after its slot ends, and retryAfter says when',
      async run() {
        const clock = new ManualClock(0);
        const store = await make(clock);
        await store.consume('k', 10, 10, W);
        clock.set(30_000);
        // Counted in slot [0, 1000): it counts until 1000 + 60000.
        expectFields(
          await store.consume('k', 1, 10, W),
          { allowed: false, retryAfterMs: 31_000, resetAt: 61_000 },
          'refused',
        );
        clock.set(60_999);
        assert.equal((await store.consume('k', 1, 10, W)).allowed, false);
        clock.set(61_000);
        assert.equal((await store.consume('k', 1, 10, W)).allowed, true);
      },
    },
    {
      name: 'reports Infinity when the amount alone exceeds the limit',
      async run() {
        const store = await make(new ManualClock(0));
        assert.equal((await store.consume('k', 11, 10, W)).retryAfterMs, Number.POSITIVE_INFINITY);
      },
    },
    {
      name: 'never lets any trailing window exceed the limit (randomized, seeded)',
      async run() {
        const random = seededRandom(42);
        const clock = new ManualClock(1_700_000_000_000);
        const store = await make(clock);
        const admitted: { t: number; n: number }[] = [];
        const limit = 1_000;
        for (let i = 0; i < rounds; i++) {
          clock.advance(Math.floor(random() * 200));
          const n = 1 + Math.floor(random() * 120);
          if ((await store.consume('tpm', n, limit, W)).allowed)
            admitted.push({ t: clock.now(), n });
        }
        let start = 0;
        let sum = 0;
        for (const event of admitted) {
          sum += event.n;
          while (admitted[start]!.t <= event.t - W) sum -= admitted[start++]!.n;
          assert.ok(sum <= limit, `a trailing window held ${sum} > ${limit}`);
        }
        // And it is not uselessly strict: most of the capacity of the time covered was used.
        const total = admitted.reduce((s, e) => s + e.n, 0);
        const windows = (clock.now() - 1_700_000_000_000) / W;
        assert.ok(total > limit * windows * 0.7, `only ${total} admitted over ${windows} windows`);
      },
    },
    {
      name: 'refunds into the slot the usage was counted in',
      async run() {
        const clock = new ManualClock(0);
        const store = await make(clock);
        await store.consume('k', 8, 10, W);
        clock.set(20_000);
        await store.consume('k', 2, 10, W);
        await store.refund('k', 5, W, 0);
        assert.equal((await store.peek('k', W)).count, 5);
        // The refunded slot keeps its 3 units until 61 s; the 2 units from 20 s stay until 81 s.
        clock.set(61_000);
        assert.equal((await store.peek('k', W)).count, 2);
      },
    },
    {
      name: 'refunds nothing once the slot has left the window, and never goes below zero',
      async run() {
        const clock = new ManualClock(0);
        const store = await make(clock);
        await store.consume('k', 4, 10, W);
        clock.set(70_000);
        await store.consume('k', 3, 10, W);
        await store.refund('k', 4, W, 0);
        assert.equal((await store.peek('k', W)).count, 3);
        await store.refund('k', 100, W);
        assert.equal((await store.peek('k', W)).count, 0);
      },
    },
    {
      name: 'records usage unconditionally with an infinite limit',
      async run() {
        const store = await make(new ManualClock(0));
        await store.consume('k', 10, 10, W);
        assert.equal((await store.consume('k', 50, Number.POSITIVE_INFINITY, W)).allowed, true);
        assert.equal((await store.peek('k', W)).count, 60);
      },
    },
    {
      name: 'rejects negative amounts and empty windows',
      async run() {
        const store = await make(new ManualClock(0));
        await assert.rejects(store.consume('k', -1, 10, W), RangeError);
        await assert.rejects(store.consume('k', 1, 10, 0), RangeError);
      },
    },
  ];
}
