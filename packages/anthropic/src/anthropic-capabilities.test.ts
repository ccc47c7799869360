import { calculateCost } from '@orchestrator/core';
import { describe, expect, it } from 'vitest';
import {
  canonicalAnthropicModelId,
  getAnthropicCapabilities,
  getAnthropicPricing,
  isKnownAnthropicModel,
} from './anthropic-capabilities.js';
import { AnthropicModel } from './anthropic-model.js';

describe('getAnthropicCapabilities / getAnthropicPricing', () => {
  it.each([
    ['claude-opus-4-1', 15, 75, 200_000, 32_000],
    ['claude-opus-4-1-20250805', 15, 75, 200_000, 32_000],
    ['claude-opus-4', 15, 75, 200_000, 32_000],
    ['claude-opus-4-20250514', 15, 75, 200_000, 32_000],
    ['claude-opus-4-0', 15, 75, 200_000, 32_000],
    ['claude-sonnet-4-5', 3, 15, 200_000, 64_000],
    ['claude-sonnet-4-5-20250929', 3, 15, 200_000, 64_000],
    ['claude-sonnet-4', 3, 15, 200_000, 64_000],
    ['claude-sonnet-4-20250514', 3, 15, 200_000, 64_000],
    ['claude-3-7-sonnet-20250219', 3, 15, 200_000, 64_000],
    ['claude-3-7-sonnet-latest', 3, 15, 200_000, 64_000],
    ['claude-3-5-haiku-20241022', 0.8, 4, 200_000, 8_192],
    ['claude-haiku-4-5', 1, 5, 200_000, 64_000],
    ['claude-haiku-4-5-20251001', 1, 5, 200_000, 64_000],
    ['claude-3-haiku-20240307', 0.25, 1.25, 200_000, 4_096],
    ['claude-opus-4-5-20251101', 5, 25, 200_000, 64_000],
    ['claude-opus-5-5', 4, 20, 1_000_000, 128_000],
    ['claude-sonnet-5-5', 2, 10, 1_000_000, 128_000],
  ])(
    '%s costs $%s/$%s per MTok with a %s window and %s output',
    (id, input, output, context, maxOut) => {
      expect(isKnownAnthropicModel(id)).toBe(true);
      const pricing = getAnthropicPricing(id);
      expect(pricing).toEqual({
        inputPerMillion: input,
        outputPerMillion: output,
        cachedInputPerMillion: input / 10,
      });
      const caps = getAnthropicCapabilities(id);
      expect(caps.contextWindow).toBe(context);
      expect(caps.maxOutputTokens).toBe(maxOut);
      expect(caps.features).toEqual(
        expect.arrayContaining([
          'chat',
          'streaming',
          'tool_calling',
          'json_mode',
          'code_generation',
        ]),
      );
    },
  );

  it('marks reasoning and vision by model', () => {
    expect(getAnthropicCapabilities('claude-sonnet-4-5').features).toEqual(
      expect.arrayContaining(['reasoning', 'vision']),
    );
    expect(getAnthropicCapabilities('claude-3-7-sonnet').features).toContain('reasoning');
    expect(getAnthropicCapabilities('claude-3-5-haiku').features).not.toContain('reasoning');
    expect(getAnthropicCapabilities('claude-3-5-haiku').features).not.toContain('vision');
    expect(getAnthropicCapabilities('claude-3-haiku').features).toContain('vision');
    expect(getAnthropicCapabilities('claude-opus-4-1').qualityScore).toBeGreaterThan(
      getAnthropicCapabilities('claude-3-haiku').qualityScore,
    );
  });

  it('gives unknown ids conservative defaults', () => {
    expect(isKnownAnthropicModel('claude-next-9')).toBe(false);
    expect(canonicalAnthropicModelId('claude-next-9-20300101')).toBe('claude-next-9');
    const caps = getAnthropicCapabilities('claude-next-9');
    expect(caps.contextWindow).toBe(200_000);
    expect(caps.maxOutputTokens).toBe(4_096);
    expect(caps.qualityScore).toBe(0.5);
    expect(caps.features).not.toContain('reasoning');
    expect(caps.features).not.toContain('vision');
    // The highest published price, so budgets never under-reserve.
    expect(getAnthropicPricing('claude-next-9')).toMatchObject({
      inputPerMillion: 15,
      outputPerMillion: 75,
    });
  });

  it('is pure: the same id gives equal, independent results', () => {
    const a = getAnthropicCapabilities('claude-sonnet-4');
    const b = getAnthropicCapabilities('claude-sonnet-4');
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it('feeds the model: capabilities, pricing and settings overrides', () => {
    const model = new AnthropicModel({
      model: 'claude-opus-4-1',
      apiKey: 'sk-ant-x',
      capabilities: { qualityScore: 0.99 },
    });
    expect(model.capabilities.contextWindow).toBe(200_000);
    expect(model.capabilities.qualityScore).toBe(0.99);
    expect(model.supports('vision')).toBe(true);
    expect(calculateCost(model.pricing, { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(
      90,
    );
    const custom = new AnthropicModel({
      model: 'claude-opus-4-1',
      apiKey: 'sk-ant-x',
      pricing: { inputPerMillion: 1, outputPerMillion: 2 },
    });
    expect(custom.pricing).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(JSON.stringify(custom)).not.toContain('sk-ant-x');
  });
});
