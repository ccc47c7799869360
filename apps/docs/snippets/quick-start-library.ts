import { createAnthropicModel } from '@orchestrator/anthropic';
import { ModelRegistry, Orchestrator } from '@orchestrator/core';
import { createOpenAIModel } from '@orchestrator/openai';

// Keys come from OPENAI_API_KEY and ANTHROPIC_API_KEY.
const registry = new ModelRegistry()
  .register(createOpenAIModel('gpt-4o-mini'))
  .register(createAnthropicModel('claude-sonnet-4-5'));

const orchestrator = new Orchestrator({ registry });

// Which model would answer, and why — nothing is called.
const decision = orchestrator.route({
  messages: [{ role: 'user', content: 'Explain the CAP theorem in two sentences.' }],
  strategy: 'cost_optimal',
});
console.log(decision.model, decision.reasoning, decision.fallbacks);

// Route and run, with fallback, retries, cache, limits and budgets.
const response = await orchestrator.process({
  messages: [{ role: 'user', content: 'Explain the CAP theorem in two sentences.' }],
  strategy: 'cost_optimal',
});
console.log(response.modelUsed, response.content, response.costUsd, response.attempts);

// Tell the learning strategy how good the answer was (1 = thumbs up).
orchestrator.feedback(response.requestId, 1);
