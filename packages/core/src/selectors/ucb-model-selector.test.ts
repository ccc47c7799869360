import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import { createSeededRandom } from '../util/random.js';
import { normalQuantile, UCBModelSelector } from './ucb-model-selector.js';

const ctx = { inputTokens: 0, outputTokens: 0, now: 0 };
const SEEDS = 20;

function bandit(probabilities: readonly number[]) {
  return probabilities.map((_, i) => new EchoModel({ name: `arm${i}` }));
}

/** Plays `rounds` rounds; returns the arm index pulled each round. */
function play(
  ucb: UCBModelSelector,
  arms: EchoModel[],
  probs: readonly number[],
  rounds: number,
  rng: () => number,
): number[] {
  const pulls: number[] = [];
  for (let t = 0; t < rounds; t++) {
    const i = arms.indexOf(ucb.select(arms, ctx).model as EchoModel);
    pulls.push(i);
    ucb.update(arms[i]!.name, rng() < probs[i]! ? 1 : 0);
  }
  return pulls;
}

/** The round by which the trailing `window` pulls first gave `arm` at least `share`; Infinity if never. */
function firstWindowWithShare(
  pulls: readonly number[],
  arm: number,
  window: number,
  share: number,
): number {
  let count = 0;
  for (let t = 0; t < pulls.length; t++) {
    if (pulls[t] === arm) count++;
    if (t >= window && pulls[t - window] === arm) count--;
    if (t + 1 >= window && count >= share * window) return t + 1;
  }
  return Number.POSITIVE_INFINITY;
}

describe('UCBModelSelector on a 5-arm Bernoulli bandit (gaps 0.1)', () => {
  const probs = [0.5, 0.9, 0.6, 0.8, 0.7]; // best arm is not first, so order cannot help it

  // Stated bounds, checked on every one of 20 seeds (measured over 50 seeds: worst share 92.3%, worst regret 64).
  const MIN_BEST_SHARE = 0.9;
  const MAX_REGRET = 100;
  it(`gives the best arm ≥ ${MIN_BEST_SHARE * 100}% of the last 1,000 of 5,000 pulls, regret ≤ ${MAX_REGRET}`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const arms = bandit(probs);
      const ucb = new UCBModelSelector({ random: createSeededRandom(seed) });
      const pulls = play(ucb, arms, probs, 5_000, createSeededRandom(seed * 7_919));
      const share = pulls.slice(-1_000).filter((i) => i === 1).length / 1_000;
      const regret = pulls.reduce((sum, i) => sum + (0.9 - probs[i]!), 0);
      expect(share, `seed ${seed}`).toBeGreaterThanOrEqual(MIN_BEST_SHARE);
      expect(regret, `seed ${seed}`).toBeLessThanOrEqual(MAX_REGRET);
    }
  });

  // After 5,000 rounds the best arm (0.9) degrades to 0.4; the selector must
  // give the new best (0.8) ≥ 80% of a 100-pull window within the bound
  // (measured over 50 seeds: median 103 rounds — about the window's own
  // length — 90th percentile 220, worst 597).
  const SWITCH_WITHIN = 800;
  it(`follows a degraded best arm to the new best within ${SWITCH_WITHIN} rounds`, () => {
    const drifted = [0.5, 0.4, 0.6, 0.8, 0.7];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const arms = bandit(probs);
      const ucb = new UCBModelSelector({ random: createSeededRandom(seed) });
      const rng = createSeededRandom(seed * 7_919);
      play(ucb, arms, probs, 5_000, rng);
      const after = play(ucb, arms, drifted, SWITCH_WITHIN + 1_000, rng);
      const switched = firstWindowWithShare(after, 3, 100, 0.8);
      expect(switched, `seed ${seed}`).toBeLessThanOrEqual(SWITCH_WITHIN);
      // …and mostly stays there (reset arms are re-explored briefly; measured worst 78%).
      const next = after.slice(switched, switched + 1_000);
      expect(
        next.filter((i) => i === 3).length / next.length,
        `seed ${seed}`,
      ).toBeGreaterThanOrEqual(0.7);
      expect(ucb.changesDetected).toBeGreaterThan(0);
    }
  });

  it('change detection is what makes it fast: median switch ≤ 150 rounds with it, ≥ 300 without', () => {
    const drifted = [0.5, 0.4, 0.6, 0.8, 0.7];
    const medianSwitch = (changeDetection: false | undefined) => {
      const rounds: number[] = [];
      for (let seed = 1; seed <= SEEDS; seed++) {
        const arms = bandit(probs);
        const ucb = new UCBModelSelector({
          random: createSeededRandom(seed),
          ...(changeDetection === false ? { changeDetection } : {}),
        });
        const rng = createSeededRandom(seed * 7_919);
        play(ucb, arms, probs, 5_000, rng);
        rounds.push(firstWindowWithShare(play(ucb, arms, drifted, 3_000, rng), 3, 100, 0.8));
      }
      return rounds.sort((x, y) => x - y)[SEEDS / 2]!;
    };
    expect(medianSwitch(undefined)).toBeLessThanOrEqual(150);
    expect(medianSwitch(false)).toBeGreaterThanOrEqual(300);
  });
});

describe('UCBModelSelector behaviour', () => {
  it('explores each arm minTrials times before exploiting', () => {
    const arms = bandit([0, 0, 0]);
    const ucb = new UCBModelSelector({ minTrials: 2 });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { model, reason } = ucb.select(arms, ctx);
      expect(reason).toMatch(/explored/);
      seen.push(model.name);
      ucb.update(model.name, 1);
    }
    expect(seen.sort()).toEqual(['arm0', 'arm0', 'arm1', 'arm1', 'arm2', 'arm2']);
    expect(ucb.select(arms, ctx).reason).toMatch(/upper confidence bound/);
  });

  it('reports a confidence interval at the configured level and says when a choice is settled', () => {
    const arms = bandit([0, 0]);
    const ucb = new UCBModelSelector({ confidenceLevel: 0.99 });
    for (let i = 0; i < 400; i++) {
      ucb.update('arm0', i % 10 < 9 ? 1 : 0);
      ucb.update('arm1', i % 10 < 2 ? 1 : 0);
    }
    const s = ucb.statistics('arm0');
    expect(s.mean).toBeCloseTo(0.9);
    expect(s.lower!).toBeLessThan(0.9);
    expect(s.upper!).toBeGreaterThan(0.9);
    expect(s.upper! - s.lower!).toBeCloseTo(2 * 2.5758 * Math.sqrt(0.09 / 400), 3);
    expect(ucb.isSettled('arm0', arms)).toBe(true);
    expect(ucb.isSettled('arm1', arms)).toBe(false);
    expect(ucb.select(arms, ctx).reason).toMatch(/99% interval.*settled/);
  });

  it('validates its options and rewards', () => {
    expect(() => new UCBModelSelector({ explorationFactor: -1 })).toThrow(/explorationFactor/);
    expect(() => new UCBModelSelector({ confidenceLevel: 1 })).toThrow(/confidenceLevel/);
    expect(() => new UCBModelSelector({ discount: 0 })).toThrow(/discount/);
    expect(() => new UCBModelSelector().update('a', 1.5)).toThrow(/within \[0, 1\]/);
  });

  it('exports and imports its state, so instances can share what they learned', () => {
    const a = new UCBModelSelector();
    for (let i = 0; i < 50; i++) {
      a.update('good', 1);
      a.update('bad', i % 5 === 0 ? 1 : 0);
    }
    const b = new UCBModelSelector();
    b.importState(a.exportState());
    expect(b.statistics('good')).toEqual(a.statistics('good'));
    expect(b.statistics('bad').mean).toBeCloseTo(0.2);
    const arms = bandit([0, 0]).map((_, i) => new EchoModel({ name: i === 0 ? 'bad' : 'good' }));
    expect(b.select(arms, ctx).model.name).toBe('good');
  });

  it('keeps the change-detection state of arms it knew across imports', () => {
    const ucb = new UCBModelSelector();
    for (let i = 0; i < 200; i++) ucb.update('a', 1);
    // The arm turns bad; shared syncs keep replacing its totals meanwhile.
    for (let i = 0; i < 60; i++) {
      ucb.update('a', 0);
      if (i % 5 === 4) ucb.importState(ucb.exportState());
    }
    expect(ucb.changesDetected).toBeGreaterThan(0);
  });

  it('forgets an unregistered arm', () => {
    const ucb = new UCBModelSelector();
    ucb.update('a', 1);
    ucb.forget('a');
    expect(ucb.statistics('a').pulls).toBe(0);
  });

  it('starts a new arm afresh where a forgotten or dropped one was kept', () => {
    const ucb = new UCBModelSelector();
    for (let i = 0; i < 30; i++) ucb.update('a', 1);
    ucb.update('b', 0);
    ucb.forget('a');
    ucb.update('c', 0.5);
    expect(ucb.statistics('c')).toMatchObject({ pulls: 1, weight: 1, mean: 0.5 });
    // An import drops the arms it does not list; a later arm starts from nothing either.
    ucb.importState({ arms: [{ model: 'c', n: 4, sum: 2, sumSq: 1, pulls: 4 }] });
    expect(ucb.statistics('b').pulls).toBe(0);
    ucb.update('d', 1);
    expect(ucb.statistics('d')).toMatchObject({ pulls: 1, weight: 1, mean: 1 });
    expect(ucb.statistics('c')).toMatchObject({ pulls: 4, weight: 4, mean: 0.5 });
    expect(ucb.exportState().arms.map((a) => a.model)).toEqual(['c', 'd']);
  });

  it('computes normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });
});
