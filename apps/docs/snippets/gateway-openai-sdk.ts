import OpenAI from 'openai';

// The official SDK, unmodified, pointed at the gateway.
const client = new OpenAI({
  baseURL: 'http://127.0.0.1:8787/v1',
  apiKey: process.env.ORCHESTRATOR_API_KEY ?? 'local',
});

// `auto` lets the orchestrator choose the model.
const completion = await client.chat.completions.create({
  model: 'auto',
  messages: [{ role: 'user', content: 'Write a haiku about load balancers.' }],
});
console.log(completion.model, completion.choices[0]?.message.content);

// Streaming, with usage in the last chunk.
const stream = await client.chat.completions.create({
  model: 'auto',
  messages: [{ role: 'user', content: 'Count to five.' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta.content ?? '');
  if (chunk.usage) console.log('\n', chunk.usage);
}
