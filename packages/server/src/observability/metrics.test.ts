import {
  type Attempt,
  ModelRegistry,
  Orchestrator,
  type OrchestratorResponse,
} from '@orchestrator/core';
import { describe, expect, it, vi } from 'vitest';
import { GatewayMetrics } from './metrics.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  const registry = new ModelRegistry();
  const engine = new Orchestrator({ registry });
  return { engine, metrics: new GatewayMetrics(registry, engine) };
}

const attempt: Attempt = {
  model: 'm1',
  provider: 'p',
  outcome: 'success',
  latencyMs: 120,
  costUsd: 0.002,
  try: 1,
};
const response = {
  modelUsed: 'm1',
  cached: false,
  usage: { inputTokens: 11, outputTokens: 7 },
} as unknown as OrchestratorResponse;

describe('GatewayMetrics', () => {
  it("applies the engine's attempt and completion events after the current turn, not inside them", async () => {
    const { engine, metrics } = setup();
    const observe = vi.spyOn(metrics.modelLatency, 'observe');
    const inc = vi.spyOn(metrics.tokens, 'inc');
    engine.emit('attempt:done', { requestId: 'r1', attempt });
    engine.emit('complete', { requestId: 'r1', response });
    expect(observe).not.toHaveBeenCalled();
    expect(inc).not.toHaveBeenCalled();
    await nextTurn();
    expect(observe).toHaveBeenCalledTimes(1);
    expect(inc).toHaveBeenCalledTimes(2);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /orchestrator_model_attempt_duration_seconds_count\{model="m1",outcome="success"\} 1/,
    );
    expect(text).toMatch(/orchestrator_tokens_total\{model="m1",direction="input"\} 11/);
    expect(text).toMatch(/orchestrator_tokens_total\{model="m1",direction="output"\} 7/);
    expect(text).toMatch(/orchestrator_cost_usd_total\{model="m1"\} 0.002/);
  });

  it('a scrape in the same turn sees every event reported before it', async () => {
    const { engine, metrics } = setup();
    engine.emit('attempt:done', { requestId: 'r1', attempt });
    engine.emit('attempt:done', { requestId: 'r2', attempt: { ...attempt, outcome: 'error' } });
    engine.emit('complete', { requestId: 'r2', response });
    engine.emit('complete', { requestId: 'r3', response: { ...response, cached: true } });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /orchestrator_model_attempt_duration_seconds_count\{model="m1",outcome="success"\} 1/,
    );
    expect(text).toMatch(
      /orchestrator_model_attempt_duration_seconds_count\{model="m1",outcome="error"\} 1/,
    );
    // A cached answer used no tokens.
    expect(text).toMatch(/orchestrator_tokens_total\{model="m1",direction="input"\} 11\n/);
    await nextTurn();
    expect(await metrics.registry.metrics()).toBe(text);
  });
});
