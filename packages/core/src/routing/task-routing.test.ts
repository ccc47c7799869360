import { describe, expect, it } from 'vitest';
import type { Capability, TaskType } from '../types/capabilities.js';
import {
  DEFAULT_TASK_ROUTING,
  type RoutableModel,
  rankModelsForTask,
  scoreModelForTask,
} from './task-routing.js';

function model(
  name: string,
  features: Capability[],
  taskTypes: TaskType[] = [],
  qualityScore = 0.7,
  provider = 'p',
): RoutableModel {
  return { name, provider, capabilities: { features, taskTypes, qualityScore } };
}

const coder = model(
  'acme-coder',
  ['chat', 'code_generation'],
  ['code_generation', 'refactoring', 'testing'],
);
const chat = model('acme-chat', ['chat'], [], 0.8);
const thinker = model('acme-o3', ['chat', 'reasoning'], ['analysis'], 0.75);

describe('DEFAULT_TASK_ROUTING', () => {
  it('has an entry for every task type', () => {
    expect(Object.keys(DEFAULT_TASK_ROUTING).sort()).toEqual(
      [
        'analysis',
        'code_completion',
        'code_generation',
        'code_optimization',
        'documentation',
        'explanation',
        'general',
        'refactoring',
        'testing',
      ].sort(),
    );
  });

  it('prefers a code model for code tasks even over a higher-quality chat model', () => {
    for (const task of ['code_generation', 'refactoring', 'testing'] as const) {
      expect(rankModelsForTask([chat, thinker, coder], task)[0]!.model.name).toBe('acme-coder');
    }
  });

  it('prefers a reasoning model for analysis, and quality for general chat', () => {
    expect(rankModelsForTask([chat, coder, thinker], 'analysis')[0]!.model.name).toBe('acme-o3');
    expect(rankModelsForTask([coder, thinker, chat], 'general')[0]!.model.name).toBe('acme-chat');
  });
});

describe('scoreModelForTask', () => {
  it('explains the score and stays within [0, 1]', () => {
    const fit = scoreModelForTask(coder, 'code_generation');
    expect(fit.eligible).toBe(true);
    expect(fit.score).toBeGreaterThan(0.7);
    expect(fit.score).toBeLessThanOrEqual(1);
    expect(fit.reasons).toEqual(
      expect.arrayContaining([
        'declares code_generation',
        'has code_generation',
        'name matches a preferred pattern',
      ]),
    );
  });

  it('rules out models without a required capability, and honours a per-task quality', () => {
    const table = {
      ...DEFAULT_TASK_ROUTING,
      code_generation: { requiredCapabilities: ['code_generation'] as const },
    };
    expect(scoreModelForTask(chat, 'code_generation', table)).toMatchObject({
      eligible: false,
      score: 0,
    });
    expect(
      rankModelsForTask([chat, coder], 'code_generation', table).map((r) => r.model.name),
    ).toEqual(['acme-coder']);
    const specialist: RoutableModel = {
      name: 's',
      provider: 'p',
      capabilities: {
        features: ['chat'],
        taskTypes: [],
        qualityScore: 0.2,
        qualityByTask: { documentation: 1 },
      },
    };
    expect(scoreModelForTask(specialist, 'documentation').score).toBeGreaterThan(
      scoreModelForTask(specialist, 'general').score,
    );
  });

  it('favours preferred providers when the table names some', () => {
    const a = model('a', ['chat'], [], 0.7, 'openai');
    const b = model('b', ['chat'], [], 0.7, 'anthropic');
    const table = { general: { providers: ['anthropic'] } };
    expect(rankModelsForTask([a, b], 'general', table)[0]!.model.name).toBe('b');
    // Ties keep the caller's order.
    expect(rankModelsForTask([a, b], 'general')[0]!.model.name).toBe('a');
  });
});
