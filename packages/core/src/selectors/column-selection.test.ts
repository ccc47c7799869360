import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import type { Model } from '../model/model.js';
import { ModelRegistry } from '../registry/model-registry.js';
import type { SelectionCriteria } from '../registry/selection-criteria.js';
import { CAPABILITIES, type Capability, TASK_TYPES, type TaskType } from '../types/capabilities.js';
import { ManualClock } from '../util/clock.js';
import { createSeededRandom, type Random } from '../util/random.js';
import { BalancedSelector, log10Below } from './balanced-selector.js';
import { CostBasedSelector } from './cost-based-selector.js';
import type { ModelSelector, Selection, SelectionContext } from './model-selector.js';
import { PerformanceSelector } from './performance-selector.js';
import { UCBModelSelector } from './ucb-model-selector.js';

// The registry hands built-in selectors its typed-array columns (selectFrom) and
// Balanced prunes candidates that cannot win. Both must give exactly the choice of
// the plain full scan over Model objects: these tests compare them on seeded
// random fleets, with near-ties, missing figures, live metrics and removals.

const pick = <T>(random: Random, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;

/** A model with random figures; about one in five copies an earlier one exactly (ties). */
function randomFleet(random: Random, n: number): EchoModel[] {
  const models: EchoModel[] = [];
  for (let i = 0; i < n; i++) {
    const twin = i > 0 && random() < 0.2 ? models[Math.floor(random() * i)] : undefined;
    const features = CAPABILITIES.filter(() => random() < 0.5) as Capability[];
    const taskTypes = TASK_TYPES.filter(() => random() < 0.15) as TaskType[];
    const qualityByTask: Partial<Record<TaskType, number>> = {};
    for (const t of TASK_TYPES) if (random() < 0.2) qualityByTask[t] = random();
    const model = new EchoModel({
      name: `m${i}`,
      provider: `p${i % 4}`,
      capabilities: twin
        ? twin.capabilities
        : {
            features: ['chat', ...features],
            contextWindow: 1_000 * (1 + Math.floor(random() * 64)),
            qualityScore: Math.round(random() * 20) / 20,
            taskTypes,
            ...(random() < 0.5 ? { qualityByTask } : {}),
            ...(random() < 0.7 ? { tokensPerSecond: 5 + Math.floor(random() * 300) } : {}),
            ...(random() < 0.5 ? { firstTokenLatencyMs: Math.floor(random() * 2_000) } : {}),
          },
      pricing: twin
        ? twin.pricing
        : random() < 0.1
          ? { inputPerMillion: 0, outputPerMillion: 0 }
          : {
              inputPerMillion: Math.round(random() * 3_000) / 100,
              outputPerMillion: Math.round(random() * 9_000) / 100,
              ...(random() < 0.2 ? { perRequest: random() / 100 } : {}),
            },
      ...(random() < 0.1 ? { constraints: { maxCostPerRequest: random() / 50 } } : {}),
    });
    // Some have live history (latency, speed, reward); some have none.
    const history = random() < 0.3 ? 0 : Math.floor(random() * 30);
    for (let k = 0; k < history; k++) {
      model.metrics.record(
        {
          success: random() < 0.85,
          latencyMs: 50 + Math.floor(random() * 3_000),
          outputTokens: Math.floor(random() * 400),
        },
        random() < 0.9 ? Math.round(random() * 10) / 10 : undefined,
        k,
      );
    }
    models.push(model);
  }
  return models;
}

function randomCriteria(random: Random): SelectionCriteria {
  const c: { -readonly [K in keyof SelectionCriteria]: SelectionCriteria[K] } = {
    inputTokens: Math.floor(random() * 20_000),
    outputTokens: Math.floor(random() * 4_000),
  };
  if (random() < 0.5) c.capabilities = [pick(random, CAPABILITIES)];
  if (random() < 0.6) c.taskType = pick(random, TASK_TYPES);
  if (random() < 0.3) c.maxCost = random() / 10;
  if (random() < 0.2) c.contextLength = Math.floor(random() * 40_000);
  if (random() < 0.2) c.minSpeed = Math.floor(random() * 200);
  if (random() < 0.2) c.providers = [`p${Math.floor(random() * 4)}`];
  if (random() < 0.2) c.excludeModels = [`m${Math.floor(random() * 10)}`];
  return c;
}

function contextOf(c: SelectionCriteria, now: number): SelectionContext {
  return {
    taskType: c.taskType,
    inputTokens: c.inputTokens ?? 1_000,
    outputTokens: c.outputTokens ?? 500,
    now,
  };
}

/** The plain full scan: rank() scores every candidate and sorts (ties by position). */
function fullScan(selector: ModelSelector, models: readonly Model[], ctx: SelectionContext) {
  return selector.rank(models, ctx)[0]!;
}

function expectSame(actual: Selection, expected: Selection): void {
  expect(actual.model.name).toBe(expected.model.name);
  expect(Object.is(actual.score, expected.score)).toBe(true);
  expect(actual.reason).toBe(expected.reason);
}

function scoringSelectors(random: Random): ModelSelector[] {
  const weight = () => pick(random, [0, 0.5, 1, 2, 3]);
  let cost = weight();
  const speed = weight();
  const quality = weight();
  if (cost + speed + quality === 0) cost = 1;
  return [
    new BalancedSelector(),
    new BalancedSelector({ cost, speed, quality }),
    new BalancedSelector({ cost: 0, speed: 0, quality: 1 }),
    new CostBasedSelector(),
    new CostBasedSelector({ minQuality: random() }),
    new PerformanceSelector({ metric: 'latency' }),
    new PerformanceSelector({ metric: 'throughput' }),
    new PerformanceSelector({ metric: 'success' }),
  ];
}

describe('selection from the registry columns', () => {
  it('chooses exactly what the full scan over models chooses (seeded random fleets)', () => {
    const random = createSeededRandom(20261122);
    const clock = new ManualClock(1_000);
    let compared = 0;
    for (let fleetNo = 0; fleetNo < 40; fleetNo++) {
      const registry = new ModelRegistry({ clock });
      const models = randomFleet(random, 1 + Math.floor(random() * 120));
      for (const m of models) registry.register(m);
      const selectors = scoringSelectors(random);
      for (let q = 0; q < 25; q++) {
        const criteria = randomCriteria(random);
        const eligible = registry.eligible(criteria);
        if (eligible.length === 0) continue;
        const ctx = contextOf(criteria, clock.now());
        for (const selector of selectors) {
          const expected = fullScan(selector, eligible, ctx);
          // Column path (registry) and object path (select over models) both agree with it.
          expectSame(registry.selectWithReason(criteria, selector), expected);
          expectSame(selector.select(eligible, ctx), expected);
          compared++;
        }
        // Live figures move between queries: the columns must follow.
        const m = pick(random, models);
        registry.record(m.name, {
          success: random() < 0.8,
          latencyMs: Math.floor(random() * 2_000),
          outputTokens: Math.floor(random() * 300),
          reward: random(),
        });
      }
    }
    expect(compared).toBeGreaterThan(5_000);
  });

  it('keeps to the full scan on near-ties: many models a rounding error apart', () => {
    const random = createSeededRandom(7);
    for (let round = 0; round < 30; round++) {
      const registry = new ModelRegistry();
      const base = 0.5 + random();
      for (let i = 0; i < 60; i++) {
        registry.register(
          new EchoModel({
            name: `t${i}`,
            capabilities: {
              qualityScore: 0.8 + pick(random, [0, 1e-16, 2e-16, 1e-12, 1e-9]),
              tokensPerSecond: 100 * (1 + pick(random, [0, 1e-15, 1e-12])),
              firstTokenLatencyMs: 200,
            },
            pricing: {
              inputPerMillion: base * (1 + pick(random, [0, 1e-15, 1e-13])),
              outputPerMillion: base * 3,
            },
          }),
        );
      }
      const criteria = { inputTokens: 900, outputTokens: 250 };
      const ctx = contextOf(criteria, Date.now());
      for (const selector of scoringSelectors(random)) {
        const expected = fullScan(selector, registry.eligible(criteria), {
          ...ctx,
          now: 0,
        });
        expectSame(registry.selectWithReason(criteria, selector), expected);
      }
    }
  });

  it('follows metrics however they change: registry record, direct record, reset, removal', () => {
    const registry = new ModelRegistry();
    const models = Array.from(
      { length: 30 },
      (_, i) =>
        new EchoModel({
          name: `m${i}`,
          capabilities: { firstTokenLatencyMs: 500 + i, tokensPerSecond: 100 },
        }),
    );
    for (const m of models) registry.register(m);
    expect(registry.select({}, new PerformanceSelector()).name).toBe('m0');
    const selector = new PerformanceSelector({ metric: 'latency' });
    const criteria = { inputTokens: 100, outputTokens: 100 };
    const check = () =>
      expectSame(
        registry.selectWithReason(criteria, selector),
        fullScan(selector, registry.eligible(criteria), contextOf(criteria, 0)),
      );
    check();
    // Recorded straight on the model's metrics, not through the registry.
    models[17]!.metrics.record({ success: true, latencyMs: 0.5 }, undefined, 0);
    expect(registry.select(criteria, selector).name).toBe('m17');
    models[17]!.metrics.reset();
    check();
    expect(registry.select(criteria, selector).name).not.toBe('m17');
    // Removal shifts later slots down; their metrics must still land in their own slots.
    registry.unregister('m3');
    registry.unregister('m0');
    models[29]!.metrics.record({ success: true, latencyMs: 0.25 }, undefined, 0);
    expect(registry.select(criteria, selector).name).toBe('m29');
    check();
    // A removed model's metrics no longer reach the registry.
    models[3]!.metrics.record({ success: true, latencyMs: 0.1 }, undefined, 0);
    expect(registry.select(criteria, selector).name).toBe('m29');
    registry.register(models[3]!);
    expect(registry.select(criteria, selector).name).toBe('m3');
    check();
  });

  it('follows outcomes recorded through a registry: after removals, in two registries, with other watchers', () => {
    const a = new ModelRegistry();
    const b = new ModelRegistry();
    const models = Array.from(
      { length: 12 },
      (_, i) =>
        new EchoModel({
          name: `m${i}`,
          capabilities: { firstTokenLatencyMs: 500 + i, tokensPerSecond: 100 },
        }),
    );
    for (const m of models) a.register(m);
    for (const m of models.slice(6)) b.register(m);
    const selector = new PerformanceSelector({ metric: 'latency' });
    const criteria = { inputTokens: 100, outputTokens: 100 };
    const check = (registry: ModelRegistry) =>
      expectSame(
        registry.selectWithReason(criteria, selector),
        fullScan(selector, registry.eligible(criteria), contextOf(criteria, 0)),
      );
    // Slots move down on removal: a later record must mark the model's new slot.
    a.unregister('m1');
    a.record('m5', { success: true, latencyMs: 0.5 });
    expect(a.select(criteria, selector).name).toBe('m5');
    check(a);
    // A model in both registries: an outcome recorded through one reaches the other's columns.
    a.record('m9', { success: true, latencyMs: 0.25 });
    expect(b.select(criteria, selector).name).toBe('m9');
    check(b);
    // Another watcher of the metrics is told of an outcome recorded through the registry.
    const seen: number[] = [];
    models[2]!.metrics.watch(() => seen.push(models[2]!.metrics.requests));
    a.record('m2', { success: true, latencyMs: 0.1 });
    expect(seen).toEqual([1]);
    expect(a.select(criteria, selector).name).toBe('m2');
    check(a);
    expect(models[2]!.metrics.snapshot()).toMatchObject({
      requests: 1,
      successes: 1,
      latencyEwmaMs: 0.1,
      latencyP50Ms: 0.1,
    });
  });

  it('uses a subclass’s own score rather than the columns', () => {
    class PriciestSelector extends CostBasedSelector {
      protected override score(model: Model): number {
        return model.pricing.inputPerMillion;
      }
    }
    const registry = new ModelRegistry();
    registry.register(
      new EchoModel({ name: 'a', pricing: { inputPerMillion: 1, outputPerMillion: 1 } }),
    );
    registry.register(
      new EchoModel({ name: 'b', pricing: { inputPerMillion: 9, outputPerMillion: 1 } }),
    );
    expect(registry.select({}, new CostBasedSelector()).name).toBe('a');
    expect(registry.select({}, new PriciestSelector()).name).toBe('b');
    class FirstSelector extends BalancedSelector {
      override select(candidates: readonly Model[]): Selection {
        return { model: candidates.at(-1)!, score: 0, reason: 'last' };
      }
    }
    expect(registry.select({}, new FirstSelector()).name).toBe('b');
  });

  it('UCB: the same choice, random draws and reason from slots as from models', () => {
    const random = createSeededRandom(99);
    for (let round = 0; round < 20; round++) {
      const registry = new ModelRegistry();
      const models = randomFleet(random, 2 + Math.floor(random() * 60));
      for (const m of models) registry.register(m);
      const options = {
        minTrials: pick(random, [0, 1, 2]),
        discount: pick(random, [1, 1, 0.98]),
        explorationFactor: pick(random, [0, 0.5, 1, 2]),
      };
      const viaSlots = new UCBModelSelector({ ...options, random: createSeededRandom(round) });
      const viaModels = new UCBModelSelector({ ...options, random: createSeededRandom(round) });
      for (let step = 0; step < 400; step++) {
        const criteria = randomCriteria(random);
        const eligible = registry.eligible(criteria);
        if (eligible.length > 0) {
          const a = registry.selectWithReason(criteria, viaSlots);
          const b = viaModels.select(eligible, contextOf(criteria, 0));
          expect(a.model.name).toBe(b.model.name);
          expect(Object.is(a.score, b.score)).toBe(true);
          // Removing a model before the lazy reason is read must not change it.
          if (step === 100) registry.unregister(models[0]!.name);
          expect(a.reason).toBe(b.reason);
        }
        const m = pick(random, registry.list());
        const reward = random();
        viaSlots.update(m.name, reward);
        viaModels.update(m.name, reward);
        if (random() < 0.02) {
          viaSlots.forget(m.name);
          viaModels.forget(m.name);
        }
      }
    }
  });
});

describe('a selection from the columns', () => {
  it('carries its reason as an own enumerable property, written once when first read', () => {
    const registry = new ModelRegistry();
    for (const m of randomFleet(createSeededRandom(11), 40)) registry.register(m);
    for (const selector of [...scoringSelectors(createSeededRandom(12)), new UCBModelSelector()]) {
      const selection = registry.selectWithReason({}, selector);
      expect(Object.keys(selection)).toEqual(['model', 'score', 'reason']);
      const spread = { ...selection };
      expect(typeof spread.reason).toBe('string');
      expect(spread.reason).toContain(selection.model.name);
      expect(JSON.parse(JSON.stringify({ reason: selection.reason })).reason).toBe(spread.reason);
      expect(selection.reason).toBe(spread.reason);
    }
  });
});

describe('log10Below', () => {
  it('never exceeds log10 and stays within a hundredth of a decade up to 10×', () => {
    const random = createSeededRandom(5);
    let above = 0;
    let worstGapUpTo10 = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 === 0 ? 1 + random() * 9 : Math.exp(random() * 30);
      const below = log10Below(x);
      // Real-number inequality; computed, both sides may round by an ulp or so.
      if (below > Math.log10(x) + 1e-15) above++;
      if (x <= 10) worstGapUpTo10 = Math.max(worstGapUpTo10, Math.log10(x) - below);
    }
    expect(above).toBe(0);
    expect(worstGapUpTo10).toBeLessThan(0.01);
    expect(log10Below(1)).toBe(0);
  });
});
