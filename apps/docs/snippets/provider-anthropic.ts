import { createAnthropicModel } from '@orchestrator/anthropic';

const claude = createAnthropicModel('claude-sonnet-4-5'); // key from ANTHROPIC_API_KEY

const review = await claude.generate({
  system: 'You are a terse code reviewer.',
  messages: [{ role: 'user', content: 'Review: const x = a == b;' }],
  maxTokens: 512,
  providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 2048 } } },
});
console.log(review.content, review.usage.reasoningTokens, review.costUsd);

// Token counting through Anthropic's count_tokens endpoint.
const tokens = await claude.countTokens({ messages: [{ role: 'user', content: 'Hello' }] });
console.log(tokens);
