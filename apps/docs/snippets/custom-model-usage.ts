import { ModelRegistry, Orchestrator } from '@orchestrator/core';
import { createOpenAIModel } from '@orchestrator/openai';
import { InHouseModel } from './custom-model.js';

const registry = new ModelRegistry()
  .register(new InHouseModel('coder-7b', { baseURL: 'http://10.0.0.12:9000' }))
  .register(createOpenAIModel('gpt-4o-mini'));

const orchestrator = new Orchestrator({ registry });

// A code task: the task routing table puts models that declare code tasks first.
const answer = await orchestrator.process({
  messages: [{ role: 'user', content: 'Write a TypeScript debounce function.' }],
  strategy: 'balanced',
});
console.log(answer.modelUsed, answer.decision?.reasoning, answer.costUsd);
