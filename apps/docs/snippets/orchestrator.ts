import { createAnthropicModel } from '@orchestrator/anthropic';
import { ModelRegistry, Orchestrator } from '@orchestrator/core';
import { createOpenAIModel } from '@orchestrator/openai';

const registry = new ModelRegistry()
  .register(createOpenAIModel('gpt-4o-mini'))
  .register(createAnthropicModel('claude-haiku-4-5'));

const orchestrator = new Orchestrator({
  registry,
  cache: { ttlMs: 10 * 60_000, maxEntries: 10_000 },
  limits: { perUser: { rpm: 60, tpm: 100_000 } },
  budgets: { perUser: { limitUsd: 20, period: 'monthly' } },
  retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 5_000 },
  fallback: { maxModels: 3 },
  timeouts: { totalMs: 120_000, attemptMs: 60_000, idleMs: 30_000 },
  routing: { defaultStrategy: 'balanced' },
});

orchestrator.on('decision', (d) => console.log('chose', d.model, '—', d.reasoning));
orchestrator.on('retry', (e) => console.log('retry', e.model, 'in', e.delayMs, 'ms:', e.reason));
orchestrator.on('fallback', (e) => console.log('fallback from', e.from, ':', e.reason));

const response = await orchestrator.process({
  messages: [{ role: 'user', content: 'Review this SQL for injection risks: …' }],
  user: 'tenant-42', // set from the authenticated key, never from the request body
  maxCost: 0.05,
});
for (const a of response.attempts) console.log(a.model, a.try, a.outcome, a.errorCode ?? '');

// Streaming: text as it comes; fallback only before the first token.
for await (const chunk of orchestrator.stream({
  messages: [{ role: 'user', content: 'Explain backpressure.' }],
})) {
  if (chunk.type === 'text-delta') process.stdout.write(chunk.text);
  if (chunk.type === 'error') console.error('\nstream ended early:', chunk.error.code);
}
