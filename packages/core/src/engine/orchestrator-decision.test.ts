import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import { ModelHealthMonitor } from '../health/model-health-monitor.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { Orchestrator } from './orchestrator.js';

function engine(): Orchestrator {
  const registry = new ModelRegistry({
    healthMonitor: new ModelHealthMonitor({ checkInterval: 0 }),
  });
  for (const [name, quality] of [
    ['a', 0.9],
    ['b', 0.7],
    ['c', 0.5],
  ] as const) {
    registry.register(new EchoModel({ name, capabilities: { qualityScore: quality } }));
  }
  return new Orchestrator({ registry, cache: false });
}

describe('routing decision', () => {
  it('explains itself in plain own properties, as before they became lazy', async () => {
    const e = engine();
    const request = { messages: [{ role: 'user' as const, content: 'Tell me a joke.' }] };
    const decision = e.route(request);
    expect(Object.keys(decision)).toEqual([
      'requestId',
      'strategy',
      'taskType',
      'taskTypeInferred',
      'complexity',
      'estimatedInputTokens',
      'model',
      'provider',
      'reasoning',
      'estimatedCostUsd',
      'estimatedLatencyMs',
      'fallbacks',
      'confidence',
      'candidates',
    ]);
    expect(decision.reasoning).toMatch(/^Balanced for a simple general request: /);
    expect(decision.fallbacks).toHaveLength(2);
    for (const fallback of decision.fallbacks) {
      expect(Object.keys(fallback)).toEqual(['model', 'provider', 'reason']);
      expect(fallback.reason.length).toBeGreaterThan(0);
    }
    const copy = JSON.parse(JSON.stringify(decision)) as typeof decision;
    expect(copy).toEqual({ ...decision, fallbacks: decision.fallbacks.map((f) => ({ ...f })) });
    expect(copy.reasoning).toBe(decision.reasoning);

    const response = await e.process(request);
    expect(response.decision?.reasoning).toContain(response.modelUsed);
    expect(JSON.stringify(response)).toContain(
      '"reasoning":"Balanced for a simple general request',
    );
  });
});
