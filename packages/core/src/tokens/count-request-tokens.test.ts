import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types/chat.js';
import {
  countRequestTokens,
  DEFAULT_IMAGE_TOKENS,
  worstCaseCostUsd,
  worstCaseTokens,
} from './count-request-tokens.js';
import { countTokens } from './count-tokens.js';
import { preloadTokenizers } from './tokenizer-registry.js';

beforeAll(async () => {
  await preloadTokenizers();
});

describe('countRequestTokens', () => {
  it('counts one user message like OpenAI does: priming + framing + role + text', () => {
    // 3 (reply priming) + 4 (message framing incl. role) + 4 ("Hello, world!" in o200k).
    expect(
      countRequestTokens({ messages: [{ role: 'user', content: 'Hello, world!' }] }, 'gpt-4o'),
    ).toBe(11);
  });

  it('adds the system prompt, every role, tool calls and results', () => {
    const request: ChatRequest = {
      system: 'You are terse.',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'Weather in Paris?', name: 'ann' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: '{"tempC":21}' },
      ],
    };
    const t = (s: string): number => countTokens(s, 'gpt-4o');
    const expected =
      3 +
      (4 + t('You are terse.')) +
      (4 + t('Answer in English.')) +
      (4 + 1 + t('ann') + t('Weather in Paris?')) +
      (4 + 6 + t('weather') + t('{"city":"Paris"}')) +
      (4 + t('{"tempC":21}') + t('c1'));
    expect(countRequestTokens(request, 'gpt-4o')).toBe(expected);
  });

  it('gives images a flat allowance, configurable', () => {
    const request: ChatRequest = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', url: 'https://example.com/cat.png' },
          ],
        },
      ],
    };
    const text = 3 + 4 + countTokens('What is this?', 'gpt-4o');
    expect(countRequestTokens(request, 'gpt-4o')).toBe(text + DEFAULT_IMAGE_TOKENS);
    expect(countRequestTokens(request, 'gpt-4o', { imageTokens: 85 })).toBe(text + 85);
  });

  it('counts tool definitions and a JSON schema response format', () => {
    const base: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const withTools = countRequestTokens(
      { ...base, tools: [{ name: 'weather', description: 'Current weather', parameters: schema }] },
      'gpt-4o',
    );
    expect(withTools - countRequestTokens(base, 'gpt-4o')).toBe(
      10 +
        countTokens('weather', 'gpt-4o') +
        countTokens('Current weather', 'gpt-4o') +
        countTokens(JSON.stringify(schema), 'gpt-4o'),
    );
    const withFormat = countRequestTokens(
      { ...base, responseFormat: { type: 'json_schema', schema } },
      'gpt-4o',
    );
    expect(withFormat).toBeGreaterThan(countRequestTokens(base, 'gpt-4o'));
  });

  it('estimates (high) for models without a real tokenizer', () => {
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'Explain closures in JavaScript.' }],
    };
    expect(countRequestTokens(request, 'claude-sonnet-4')).toBeGreaterThanOrEqual(
      countRequestTokens(request, 'gpt-4o'),
    );
  });
});

describe('worstCaseTokens', () => {
  const request: ChatRequest = { messages: [{ role: 'user', content: 'Hello, world!' }] };

  it('is input plus maxTokens, or the model maximum when unset', () => {
    expect(
      worstCaseTokens({ ...request, maxTokens: 100 }, { maxOutputTokens: 4_096 }, 'gpt-4o'),
    ).toEqual({
      input: 11,
      output: 100,
      total: 111,
    });
    expect(worstCaseTokens(request, { maxOutputTokens: 4_096 }, 'gpt-4o').output).toBe(4_096);
  });

  it('never exceeds what the model can produce', () => {
    expect(
      worstCaseTokens({ ...request, maxTokens: 1_000_000 }, { maxOutputTokens: 8_192 }, 'gpt-4o')
        .output,
    ).toBe(8_192);
  });

  it('prices the worst case at the higher of output and reasoning rates', () => {
    const tokens = { input: 1_000, output: 2_000, total: 3_000 };
    expect(worstCaseCostUsd(tokens, { inputPerMillion: 2, outputPerMillion: 8 })).toBeCloseTo(
      0.018,
      12,
    );
    expect(
      worstCaseCostUsd(tokens, {
        inputPerMillion: 2,
        outputPerMillion: 8,
        reasoningPerMillion: 10,
        perRequest: 0.001,
      }),
    ).toBeCloseTo(0.023, 12);
  });
});
