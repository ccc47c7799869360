import { ModelHealthMonitor, ModelRegistry } from '@orchestrator/core';
import { createOpenAIModel } from '@orchestrator/openai';

const healthMonitor = new ModelHealthMonitor({
  checkInterval: 30_000, // active healthCheck() of every model; 0 turns them off
  checkTimeoutMs: 5_000, // a check that takes longer counts as failed
  failureThreshold: 5, // consecutive failures that open a breaker
  recoveryThreshold: 1, // probe successes in half-open that close it
  breakDurationMs: 30_000, // first open period; doubles with each trip in a row
  maxBreakDurationMs: 300_000,
  probeTimeoutMs: 10_000, // a probe that has not reported by then counts as failed
});

const registry = new ModelRegistry({ healthMonitor });
registry.register(createOpenAIModel('gpt-4o-mini'));
healthMonitor.start(); // the timer does not keep the process alive

healthMonitor.on('health:changed', (change) => {
  console.log(`${change.model}: ${change.from} → ${change.to} (${change.reason})`);
});

console.log(registry.getModelHealth('gpt-4o-mini'));
