import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';

let h: Harness;
let provider: ReturnType<typeof createOpenAICompatible>;
beforeAll(async () => {
  h = await startHarness();
  provider = createOpenAICompatible({
    name: 'orchestrator',
    baseURL: `${h.url}/v1`,
    apiKey: await h.key('carol'),
    includeUsage: true,
  });
});
afterAll(() => h.close());

describe('the Vercel AI SDK against the gateway', () => {
  it('generateText', async () => {
    const result = await generateText({
      model: provider.chatModel('gpt-4o-mini'),
      prompt: 'Say hello',
      maxRetries: 0,
    });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it('streamText, with auto routing', async () => {
    const result = streamText({
      model: provider.chatModel('auto'),
      prompt: 'Stream a line',
      maxRetries: 0,
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    expect(await result.finishReason).toBe('stop');
  });

  it('surfaces a gateway error', async () => {
    await expect(
      generateText({ model: provider.chatModel('missing-model'), prompt: 'x', maxRetries: 0 }),
    ).rejects.toThrow(/missing-model/);
  });
});
