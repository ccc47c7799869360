import {
  BalancedSelector,
  ModelRegistry,
  NoEligibleModelsError,
  UCBModelSelector,
} from '@orchestrator/core';
import { createGoogleModel } from '@orchestrator/google';
import { createOpenAIModel } from '@orchestrator/openai';

const registry = new ModelRegistry({
  // The default selector of `select`; weights for cost, speed and quality.
  selector: new BalancedSelector({ cost: 1, speed: 1, quality: 2 }),
});
registry.register(createOpenAIModel('gpt-4o')).register(createGoogleModel('gemini-2.5-flash'));

// Filter by what the request needs, then let the selector choose.
const model = registry.select({
  capabilities: ['vision', 'tool_calling'],
  maxCost: 0.01,
  contextLength: 50_000,
  taskType: 'analysis',
});

// Ranked, best first: the rest are the fallbacks.
const ranked = registry.rank({ capabilities: ['chat'] });
console.log(ranked.map((s) => `${s.model.name}: ${s.reason}`));

// Feed outcomes back: metrics, the circuit breaker and every learning selector.
const learner = new UCBModelSelector();
registry.attach(learner);
registry.record(model.name, { success: true, latencyMs: 840, outputTokens: 220, costUsd: 0.004 });

// When nothing qualifies, the error says why, model by model.
try {
  registry.select({ capabilities: ['audio_transcription'] });
} catch (error) {
  if (NoEligibleModelsError.isInstance(error)) {
    for (const { model, reasons } of error.exclusions) console.log(model, reasons);
  }
}
