import { createOpenAIModel } from '@orchestrator/openai';

const mini = createOpenAIModel('gpt-4o-mini'); // key from OPENAI_API_KEY
const answer = await mini.generate({
  system: 'Answer in one sentence.',
  messages: [{ role: 'user', content: 'What does a circuit breaker do?' }],
  responseFormat: { type: 'json' },
  maxTokens: 200,
});
console.log(answer.content, answer.usage, answer.costUsd, answer.warnings);

// Any OpenAI-compatible server: vLLM, LM Studio, llama.cpp, Together…
const local = createOpenAIModel('Qwen/Qwen2.5-7B-Instruct', {
  baseURL: 'http://127.0.0.1:8000/v1',
  compatibility: 'compatible',
  provider: 'vllm',
  capabilities: { contextWindow: 32_768, features: ['chat', 'text_generation', 'streaming'] },
  pricing: { inputPerMillion: 0, outputPerMillion: 0 },
});
for await (const chunk of local.stream({ messages: [{ role: 'user', content: 'Count to 5' }] })) {
  if (chunk.type === 'text-delta') process.stdout.write(chunk.text);
  if (chunk.type === 'error') throw chunk.error;
}
