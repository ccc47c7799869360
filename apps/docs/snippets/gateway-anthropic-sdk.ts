import Anthropic from '@anthropic-ai/sdk';

// The official SDK, unmodified: whichever provider answers, the reply is in Anthropic's shape.
const client = new Anthropic({
  baseURL: 'http://127.0.0.1:8787',
  apiKey: process.env.ORCHESTRATOR_API_KEY ?? 'local',
});

const message = await client.messages.create({
  model: 'auto',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Summarise the actor model in one paragraph.' }],
});
for (const block of message.content) if (block.type === 'text') console.log(block.text);

// Streaming.
const stream = client.messages.stream({
  model: 'auto',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Count to five.' }],
});
stream.on('text', (text) => process.stdout.write(text));
await stream.finalMessage();
