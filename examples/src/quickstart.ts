// The runnable tour: register models (a custom Model subclass among them),
// select them by capability, cost and strategy, call them, and watch the
// registry learn from outcomes and take a failing model out.
import {
  CostBasedSelector,
  createSeededRandom,
  ModelHealthMonitor,
  ModelRegistry,
  NoEligibleModelsError,
  OrchestratorError,
  PerformanceSelector,
  UCBModelSelector,
} from '@orchestrator/core';
import { KeywordModel } from './keyword-model.js';
import { SimulatedModel } from './simulated-model.js';

const random = createSeededRandom(7);
const line = (text = '') => console.log(text);

export async function main(): Promise<void> {
  const learner = new UCBModelSelector({ random });
  const registry = new ModelRegistry({
    healthMonitor: new ModelHealthMonitor({ failureThreshold: 3 }),
  });
  registry.attach(learner);

  registry
    .register(
      new KeywordModel({ hello: 'Hello! I am a custom Model subclass.', price: 'I cost nothing.' }),
    )
    .register(
      new SimulatedModel(
        {
          name: 'sim-large',
          provider: 'simulated',
          capabilities: {
            features: ['chat', 'text_generation', 'code_generation', 'tool_calling', 'vision'],
            contextWindow: 128_000,
            qualityScore: 0.9,
            tokensPerSecond: 60,
            firstTokenLatencyMs: 600,
          },
          pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
        },
        0.97,
        random,
      ),
    )
    .register(
      new SimulatedModel(
        {
          name: 'sim-small',
          provider: 'simulated',
          capabilities: {
            features: ['chat', 'text_generation', 'tool_calling'],
            contextWindow: 128_000,
            qualityScore: 0.7,
            tokensPerSecond: 150,
            firstTokenLatencyMs: 250,
          },
          pricing: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
        },
        0.9,
        random,
      ),
    )
    .register(
      new SimulatedModel(
        {
          name: 'sim-coder',
          provider: 'simulated',
          capabilities: {
            features: ['chat', 'code_generation'],
            contextWindow: 32_000,
            taskTypes: ['code_generation', 'refactoring', 'testing'],
            qualityScore: 0.85,
            tokensPerSecond: 90,
            firstTokenLatencyMs: 300,
          },
          pricing: { inputPerMillion: 0.3, outputPerMillion: 0.9 },
        },
        0.95,
        random,
      ),
    );

  line(
    `Registered ${registry.size} models: ${registry
      .list()
      .map((m) => `${m.name} (${m.provider})`)
      .join(', ')}`,
  );

  const custom = registry.get('keyword-bot');
  line(`\n1. Calling the custom model directly → ${await custom.generateResponse('hello there')}`);

  line('\n2. Selection by what the request needs:');
  const show = (label: string, fn: () => string) => {
    try {
      line(`   ${label.padEnd(44)} → ${fn()}`);
    } catch (error) {
      if (NoEligibleModelsError.isInstance(error))
        line(
          `   ${label.padEnd(44)} → none: ${error.exclusions.map((e) => `${e.model} ${e.reasons.join(', ')}`).join('; ')}`,
        );
      else throw error;
    }
  };
  show('vision', () => registry.select({ capabilities: ['vision'] }).name);
  show(
    'code generation task, balanced',
    () => registry.select({ taskType: 'code_generation', capabilities: ['code_generation'] }).name,
  );
  show(
    'cheapest with tool calling',
    () => registry.select({ capabilities: ['tool_calling'] }, new CostBasedSelector()).name,
  );
  show('fastest', () => registry.select({}, new PerformanceSelector()).name);
  show(
    'vision under $0.001',
    () => registry.select({ capabilities: ['vision'], maxCost: 0.001 }).name,
  );

  line('\n3. Learning: 300 requests chosen by the UCB bandit, rewards from outcomes:');
  const chosen = new Map<string, number>();
  for (let i = 0; i < 300; i++) {
    const model = registry.select({ capabilities: ['tool_calling'] }, learner);
    chosen.set(model.name, (chosen.get(model.name) ?? 0) + 1);
    const started = performance.now();
    try {
      const response = await model.generate({
        messages: [{ role: 'user', content: `request ${i}` }],
      });
      // An explicit reward: here the cheaper model earns a little more for the same answer.
      registry.record(model.name, {
        success: true,
        latencyMs: performance.now() - started,
        costUsd: response.costUsd,
        reward: model.name === 'sim-small' ? 0.8 : 0.75,
      });
    } catch (error) {
      const code = OrchestratorError.isInstance(error) ? error.code : 'unknown';
      registry.record(model.name, {
        success: false,
        latencyMs: performance.now() - started,
        error: { code, message: String(error) },
      });
    }
  }
  for (const [name, count] of chosen)
    line(
      `   ${name.padEnd(12)} chosen ${String(count).padStart(3)} times, ${learner.statistics(name).mean?.toFixed(3)} mean reward`,
    );

  line(
    '\n4. Health: sim-large fails three times in a row; its breaker opens and selection skips it:',
  );
  for (let i = 0; i < 3; i++)
    registry.record('sim-large', {
      success: false,
      latencyMs: 5,
      error: { code: 'provider_error', message: '503' },
    });
  const health = registry.getModelHealth('sim-large');
  line(
    `   sim-large: ${health.status}, breaker ${health.breaker}, retry at ${new Date(health.retryAt ?? 0).toISOString()}`,
  );
  show('vision (only sim-large has it)', () => registry.select({ capabilities: ['vision'] }).name);

  line('\n5. Per-model figures:');
  for (const s of registry.summary()) {
    const m = s.metrics;
    line(
      `   ${s.name.padEnd(12)} ${String(m.requests).padStart(4)} requests, ${(m.successRate * 100).toFixed(0).padStart(3)}% ok, $${m.totalCostUsd.toFixed(5)}, ${s.health.status}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
