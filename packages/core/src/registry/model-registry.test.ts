import { describe, expect, it, vi } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import {
  DuplicateModelError,
  ModelNotFoundError,
  NoEligibleModelsError,
} from '../errors/registry-errors.js';
import { ModelHealthMonitor } from '../health/model-health-monitor.js';
import { CostBasedSelector } from '../selectors/cost-based-selector.js';
import { ManualClock } from '../util/clock.js';
import { ModelRegistry } from './model-registry.js';
import type { SelectionCriteria } from './selection-criteria.js';

function fleet() {
  return [
    new EchoModel({
      name: 'cheap-chat',
      capabilities: {
        features: ['chat', 'text_generation'],
        contextWindow: 8_000,
        qualityScore: 0.5,
        tokensPerSecond: 150,
      },
      pricing: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
    }),
    new EchoModel({
      name: 'vision-pro',
      capabilities: {
        features: ['chat', 'vision', 'tool_calling', 'json_mode'],
        contextWindow: 128_000,
        qualityScore: 0.9,
        tokensPerSecond: 60,
      },
      pricing: { inputPerMillion: 5, outputPerMillion: 15 },
    }),
    new EchoModel({
      name: 'coder',
      capabilities: {
        features: ['chat', 'code_generation', 'tool_calling'],
        contextWindow: 32_000,
        taskTypes: ['code_generation', 'code_completion', 'refactoring'],
        qualityScore: 0.8,
        tokensPerSecond: 90,
      },
      pricing: { inputPerMillion: 1, outputPerMillion: 3 },
    }),
    new EchoModel({
      name: 'embedder',
      capabilities: { features: ['embeddings'], contextWindow: 8_000, taskTypes: ['analysis'] },
      pricing: { inputPerMillion: 0.02, outputPerMillion: 0 },
    }),
  ];
}

function registryWith(clock = new ManualClock(1_000)) {
  const registry = new ModelRegistry({
    clock,
    healthMonitor: new ModelHealthMonitor({ clock, failureThreshold: 2 }),
  });
  for (const m of fleet()) registry.register(m);
  return { registry, clock };
}

describe('ModelRegistry filtering', () => {
  const cases: [string, SelectionCriteria, string[]][] = [
    ['no criteria: every model', {}, ['cheap-chat', 'vision-pro', 'coder', 'embedder']],
    ['one capability', { capabilities: ['vision'] }, ['vision-pro']],
    [
      'several capabilities, all required',
      { capabilities: ['chat', 'tool_calling'] },
      ['vision-pro', 'coder'],
    ],
    ['context length', { contextLength: 30_000 }, ['vision-pro', 'coder']],
    // 1,000 in + 500 out: cheap $0.0003, vision $0.0125, coder $0.0025, embedder $0.00002
    ['max cost', { maxCost: 0.003 }, ['cheap-chat', 'coder', 'embedder']],
    [
      'max cost with token counts',
      { maxCost: 0.003, inputTokens: 100, outputTokens: 100 },
      ['cheap-chat', 'vision-pro', 'coder', 'embedder'],
    ],
    ['min speed (unknown speed passes)', { minSpeed: 80 }, ['cheap-chat', 'coder', 'embedder']],
    ['excluded models', { excludeModels: ['cheap-chat', 'coder'] }, ['vision-pro', 'embedder']],
    [
      'task type: specialists of other tasks drop out',
      { taskType: 'code_generation' },
      ['cheap-chat', 'vision-pro', 'coder'],
    ],
    [
      'task type general keeps everyone',
      { taskType: 'general' },
      ['cheap-chat', 'vision-pro', 'coder', 'embedder'],
    ],
    ['providers', { providers: ['nobody'] }, []],
    [
      'combined',
      { capabilities: ['tool_calling'], maxCost: 0.01, taskType: 'refactoring' },
      ['coder'],
    ],
  ];

  it.each(cases)('%s', (_label, criteria, expected) => {
    const { registry } = registryWith();
    expect(registry.eligible(criteria).map((m) => m.name)).toEqual(expected);
  });

  const impossible: [string, SelectionCriteria, Record<string, string[]>][] = [
    [
      'capability nobody has',
      { capabilities: ['image_generation'] },
      {
        'cheap-chat': ['lacks image_generation'],
        'vision-pro': ['lacks image_generation'],
        coder: ['lacks image_generation'],
        embedder: ['lacks image_generation'],
      },
    ],
    [
      'several reasons per model',
      { capabilities: ['vision'], maxCost: 0.001, contextLength: 100_000 },
      {
        'cheap-chat': ['lacks vision', 'context window 8000 < 100000 tokens needed'],
        'vision-pro': ['estimated cost $0.012500 > maxCost $0.001'],
        coder: [
          'lacks vision',
          'context window 32000 < 100000 tokens needed',
          'estimated cost $0.002500 > maxCost $0.001',
        ],
        embedder: ['lacks vision', 'context window 8000 < 100000 tokens needed'],
      },
    ],
    [
      'excluded, slow and unsuited',
      { excludeModels: ['cheap-chat', 'vision-pro'], minSpeed: 100, taskType: 'testing' },
      {
        'cheap-chat': ['excluded by the request'],
        'vision-pro': ['excluded by the request', 'speed 60.0 tokens/s < minSpeed 100'],
        coder: [
          'not suited to testing (suits code_generation, code_completion, refactoring)',
          'speed 90.0 tokens/s < minSpeed 100',
        ],
        embedder: ['not suited to testing (suits analysis)'],
      },
    ],
  ];

  it.each(impossible)(
    'NoEligibleModelsError says why each model was ruled out: %s',
    (_label, criteria, expected) => {
      const { registry } = registryWith();
      let error: unknown;
      try {
        registry.select(criteria);
      } catch (e) {
        error = e;
      }
      expect(NoEligibleModelsError.isInstance(error)).toBe(true);
      const exclusions = (error as NoEligibleModelsError).exclusions;
      expect(Object.fromEntries(exclusions.map((e) => [e.model, e.reasons]))).toEqual(expected);
      expect((error as Error).message).toContain(exclusions[0]!.reasons[0]);
    },
  );

  it('rules out a model whose breaker is open, and says until when', () => {
    const { registry, clock } = registryWith();
    const failure = {
      success: false,
      latencyMs: 1,
      error: { code: 'provider_error', message: '500' },
    } as const;
    registry.record('vision-pro', failure);
    registry.record('vision-pro', failure);
    expect(registry.eligible({ capabilities: ['vision'] })).toEqual([]);
    expect(() => registry.select({ capabilities: ['vision'] })).toThrow(
      /circuit breaker open until/,
    );
    expect(
      registry.eligible({ capabilities: ['vision'], includeUnavailable: true }).map((m) => m.name),
    ).toEqual(['vision-pro']);
    clock.advance(30_000);
    expect(registry.select({ capabilities: ['vision'] }).name).toBe('vision-pro');
  });

  it('rejects an unknown capability by name', () => {
    const { registry } = registryWith();
    expect(() => registry.eligible({ capabilities: ['telepathy' as never] })).toThrow(
      /Unknown capability "telepathy"/,
    );
  });
});

describe('ModelRegistry lifecycle', () => {
  it('rejects duplicate names clearly, finds and removes models', () => {
    const { registry } = registryWith();
    expect(() => registry.register(new EchoModel({ name: 'coder' }))).toThrow(DuplicateModelError);
    expect(() => registry.register(new EchoModel({ name: 'coder' }))).toThrow(/already registered/);
    expect(registry.get('coder').name).toBe('coder');
    expect(() => registry.get('nope')).toThrow(ModelNotFoundError);
    expect(() => registry.get('nope')).toThrow(/cheap-chat, vision-pro, coder, embedder/);
    expect(registry.unregister('coder')).toBe(true);
    expect(registry.unregister('coder')).toBe(false);
    expect(registry.has('coder')).toBe(false);
    expect(registry.size).toBe(3);
    expect(() => registry.register({ name: 'fake' } as never)).toThrow(/Model instance/);
  });

  it('emits typed events for registration, selection and outcomes', () => {
    const { registry } = registryWith();
    const seen: string[] = [];
    registry.on('model:registered', (e) => seen.push(`registered ${e.model}`));
    registry.on('model:selected', (e) =>
      seen.push(`selected ${e.selection.model.name} of ${e.candidates}`),
    );
    registry.on('model:outcome', (e) => seen.push(`outcome ${e.model} ${e.reward.toFixed(2)}`));
    registry.on('model:unregistered', (e) => seen.push(`unregistered ${e.model}`));
    registry.register(new EchoModel({ name: 'extra' }));
    registry.select({ capabilities: ['vision'] });
    registry.record('extra', { success: true, latencyMs: 0 });
    registry.unregister('extra');
    expect(seen).toEqual([
      'registered extra',
      'selected vision-pro of 1',
      'outcome extra 1.00',
      'unregistered extra',
    ]);
  });

  it('record() feeds metrics, health and the learning selectors', () => {
    const { registry } = registryWith();
    const learner = { name: 'spy', select: vi.fn(), rank: vi.fn(), update: vi.fn() };
    registry.attach(learner);
    const reward = registry.record('coder', {
      success: true,
      latencyMs: 3_000,
      outputTokens: 30,
      costUsd: 0.002,
      taskType: 'testing',
    });
    expect(reward).toBeCloseTo(0.7 + 0.3 * 0.9);
    expect(learner.update).toHaveBeenCalledWith('coder', reward, 'testing');
    expect(registry.get('coder').metrics.snapshot()).toMatchObject({
      requests: 1,
      successes: 1,
      totalCostUsd: 0.002,
    });
    registry.record('coder', {
      success: false,
      latencyMs: 1,
      error: { code: 'timeout', message: 't' },
    });
    expect(registry.getModelHealth('coder')).toMatchObject({
      status: 'degraded',
      breaker: 'closed',
      consecutiveFailures: 1,
    });
    // Failures that say nothing about the model's health do not count against it.
    registry.record('cheap-chat', {
      success: false,
      latencyMs: 1,
      error: { code: 'invalid_request', message: 'bad' },
    });
    expect(registry.getModelHealth('cheap-chat').consecutiveFailures).toBe(0);
    registry.feedback('coder', 0.2);
    expect(learner.update).toHaveBeenLastCalledWith('coder', 0.2, undefined);
    expect(() => registry.feedback('coder', 2)).toThrow(/within \[0, 1\]/);
    expect(() => registry.record('ghost', { success: true, latencyMs: 1 })).toThrow(
      ModelNotFoundError,
    );
  });

  it('a recorded success reaches a breaker with failures counted or not closed, and a monitor of its own', () => {
    const { registry, clock } = registryWith();
    const failure = { success: false, latencyMs: 1, error: { code: 'timeout', message: 't' } };
    registry.record('coder', failure);
    expect(registry.getModelHealth('coder').status).toBe('degraded');
    registry.record('coder', { success: true, latencyMs: 1 });
    expect(registry.getModelHealth('coder')).toMatchObject({
      status: 'healthy',
      consecutiveFailures: 0,
    });
    // Open, then half-open once the break is over: a success closes it.
    registry.record('coder', failure);
    registry.record('coder', failure);
    expect(registry.getModelHealth('coder').breaker).toBe('open');
    clock.advance(60_000);
    registry.healthMonitor.acquire('coder');
    expect(registry.getModelHealth('coder').breaker).toBe('half_open');
    registry.record('coder', { success: true, latencyMs: 1 });
    expect(registry.getModelHealth('coder')).toMatchObject({
      status: 'healthy',
      breaker: 'closed',
    });
    // A monitor that reports in its own way hears every outcome.
    class CountingMonitor extends ModelHealthMonitor {
      successes = 0;
      override recordOutcomeOn(...args: Parameters<ModelHealthMonitor['recordOutcomeOn']>) {
        if (args[1]) this.successes++;
        super.recordOutcomeOn(...args);
      }
    }
    const monitor = new CountingMonitor();
    const counted = new ModelRegistry({ healthMonitor: monitor });
    for (const model of fleet()) counted.register(model);
    counted.record('coder', { success: true, latencyMs: 1 });
    counted.record('coder', { success: true, latencyMs: 1 });
    expect(monitor.successes).toBe(2);
  });

  it('uses the selector it is given', () => {
    const { registry } = registryWith();
    const choice = registry.selectWithReason({ capabilities: ['chat'] }, new CostBasedSelector());
    expect(choice.model.name).toBe('cheap-chat');
    expect(choice.reason).toMatch(/cheapest/);
    expect(
      registry.rank({ capabilities: ['chat'] }, new CostBasedSelector()).map((s) => s.model.name),
    ).toEqual(['cheap-chat', 'coder', 'vision-pro']);
  });
});
