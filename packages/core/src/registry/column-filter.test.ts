import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import type { Model } from '../model/model.js';
import { estimateCost } from '../pricing/calculate-cost.js';
import { estimateSpeed } from '../selectors/estimates.js';
import { CAPABILITIES, type Capability, TASK_TYPES, type TaskType } from '../types/capabilities.js';
import { ManualClock } from '../util/clock.js';
import { createSeededRandom, type Random } from '../util/random.js';
import { ModelRegistry } from './model-registry.js';
import type { SelectionCriteria } from './selection-criteria.js';

// The registry filters on typed-array columns and task bit sets. This checks it
// against the filter written plainly over the Model objects, on seeded random
// fleets with open breakers, removals and task names outside TASK_TYPES.

const pick = <T>(random: Random, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;

function plainFilter(registry: ModelRegistry, c: SelectionCriteria, now: number): string[] {
  const input = c.inputTokens ?? 1_000;
  const output = c.outputTokens ?? 500;
  const task = c.taskType !== undefined && c.taskType !== 'general' ? c.taskType : undefined;
  return registry
    .list()
    .filter((m: Model) => {
      const caps = m.capabilities;
      if (!(c.capabilities ?? []).every((x) => caps.features.includes(x))) return false;
      if (caps.contextWindow < (c.contextLength ?? 0)) return false;
      const cost = estimateCost(m.pricing, input, output);
      if (cost > (c.maxCost ?? Number.POSITIVE_INFINITY)) return false;
      if (cost > (m.constraints.maxCostPerRequest ?? Number.POSITIVE_INFINITY)) return false;
      if (task !== undefined && caps.taskTypes.length > 0 && !caps.taskTypes.includes(task))
        return false;
      if (c.excludeModels?.includes(m.name)) return false;
      if (c.providers?.length && !c.providers.includes(m.provider)) return false;
      const speed = estimateSpeed(m);
      if (c.minSpeed !== undefined && speed !== undefined && speed < c.minSpeed) return false;
      const breaker = registry.healthMonitor.breakerOf(m.name);
      if (!c.includeUnavailable && breaker && !breaker.canPass(now)) return false;
      return true;
    })
    .map((m) => m.name);
}

describe('the registry filter on columns', () => {
  it('admits exactly the models the plain filter over objects admits', () => {
    const random = createSeededRandom(4242);
    const clock = new ManualClock(10_000);
    let checked = 0;
    for (let round = 0; round < 30; round++) {
      const registry = new ModelRegistry({ clock });
      const n = 1 + Math.floor(random() * 80);
      for (let i = 0; i < n; i++) {
        registry.register(
          new EchoModel({
            name: `m${i}`,
            provider: `p${i % 3}`,
            capabilities: {
              features: CAPABILITIES.filter(() => random() < 0.5) as Capability[],
              contextWindow: 1_000 * (1 + Math.floor(random() * 32)),
              // Occasionally a task name the type does not know (JavaScript callers).
              taskTypes: [
                ...(TASK_TYPES.filter(() => random() < 0.15) as TaskType[]),
                ...(random() < 0.1 ? ['translation' as TaskType] : []),
              ],
              ...(random() < 0.6 ? { tokensPerSecond: Math.floor(random() * 300) } : {}),
            },
            pricing: {
              inputPerMillion: random() * 20,
              outputPerMillion: random() * 60,
              ...(random() < 0.2 ? { perRequest: random() / 100 } : {}),
            },
            ...(random() < 0.2 ? { constraints: { maxCostPerRequest: random() / 20 } } : {}),
          }),
        );
      }
      for (let q = 0; q < 40; q++) {
        const name = `m${Math.floor(random() * n)}`;
        if (random() < 0.1 && registry.has(name)) registry.unregister(name);
        else if (registry.has(name)) {
          // Failures open breakers; some live speeds replace declared ones.
          registry.record(name, {
            success: random() < 0.5,
            latencyMs: 100 + Math.floor(random() * 1_000),
            outputTokens: Math.floor(random() * 200),
            ...(random() < 0.3 ? { error: { code: 'timeout', message: 'slow' } } : {}),
          });
        }
        if (random() < 0.2) clock.advance(Math.floor(random() * 60_000));
        const c: { -readonly [K in keyof SelectionCriteria]: SelectionCriteria[K] } = {};
        if (random() < 0.5) c.capabilities = [pick(random, CAPABILITIES)];
        if (random() < 0.5) c.taskType = pick(random, [...TASK_TYPES, 'translation' as TaskType]);
        if (random() < 0.4) c.maxCost = random() / 20;
        if (random() < 0.3) c.contextLength = Math.floor(random() * 30_000);
        if (random() < 0.3) c.minSpeed = Math.floor(random() * 200);
        if (random() < 0.2) c.providers = [`p${Math.floor(random() * 3)}`];
        if (random() < 0.2) c.excludeModels = [`m${Math.floor(random() * n)}`];
        if (random() < 0.2) c.includeUnavailable = true;
        if (random() < 0.5) c.inputTokens = Math.floor(random() * 5_000);
        if (random() < 0.5) c.outputTokens = Math.floor(random() * 2_000);
        const expected = plainFilter(registry, c, clock.now());
        expect(registry.eligible(c).map((m) => m.name)).toEqual(expected);
        checked++;
      }
    }
    expect(checked).toBe(1_200);
  });
});
