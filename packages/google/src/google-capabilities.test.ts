import { describe, expect, it } from 'vitest';
import {
  getGoogleCapabilities,
  getGoogleModelTraits,
  getGooglePricing,
  isKnownGoogleModel,
} from './google-capabilities.js';
import { convertGoogleUsage, mapGoogleFinishReason } from './map-gemini-response.js';

describe('getGoogleCapabilities', () => {
  it.each([
    'gemini-3.5-flash',
    'gemini-3.1-pro-preview',
    'gemini-3-pro-preview',
    'gemini-3-flash-preview',
    'gemini-3.1-flash-lite-preview',
    'gemini-2.5-pro',
    'gemini-2.5-flash',
    'gemini-2.5-flash-lite',
    'gemini-2.0-flash',
    'gemini-2.0-flash-lite',
    'gemini-1.5-pro',
    'gemini-1.5-flash',
  ])('%s is a known chat model with tools, JSON, vision and streaming', (id) => {
    const caps = getGoogleCapabilities(id);
    expect(isKnownGoogleModel(id)).toBe(true);
    for (const feature of ['chat', 'tool_calling', 'json_mode', 'vision', 'streaming'] as const) {
      expect(caps.features).toContain(feature);
    }
    expect(caps.contextWindow).toBeGreaterThanOrEqual(1_048_576);
    expect(caps.qualityScore).toBeGreaterThan(0.5);
    expect(getGooglePricing(id).outputPerMillion).toBeGreaterThan(
      getGooglePricing(id).inputPerMillion,
    );
  });

  it('marks thinking models as reasoning models with 64k outputs', () => {
    expect(getGoogleCapabilities('gemini-2.5-pro').features).toContain('reasoning');
    expect(getGoogleCapabilities('gemini-2.5-pro').maxOutputTokens).toBe(65_536);
    expect(getGoogleCapabilities('gemini-2.0-flash').features).not.toContain('reasoning');
    expect(getGoogleCapabilities('gemini-2.0-flash').maxOutputTokens).toBe(8_192);
  });

  it('has the list prices', () => {
    expect(getGooglePricing('gemini-2.5-pro')).toEqual({
      inputPerMillion: 1.25,
      outputPerMillion: 10,
      cachedInputPerMillion: 0.125,
    });
    expect(getGooglePricing('gemini-2.5-flash')).toEqual({
      inputPerMillion: 0.3,
      outputPerMillion: 2.5,
      cachedInputPerMillion: 0.03,
    });
    expect(getGooglePricing('gemini-2.5-flash-lite')).toEqual({
      inputPerMillion: 0.1,
      outputPerMillion: 0.4,
      cachedInputPerMillion: 0.01,
    });
    expect(getGooglePricing('gemini-3-flash-preview')).toEqual({
      inputPerMillion: 0.5,
      outputPerMillion: 3,
      cachedInputPerMillion: 0.05,
    });
    expect(getGooglePricing('gemini-3.1-pro-preview')).toEqual({
      inputPerMillion: 2,
      outputPerMillion: 12,
      cachedInputPerMillion: 0.2,
    });
    expect(getGooglePricing('gemini-embedding-001')).toEqual({
      inputPerMillion: 0.15,
      outputPerMillion: 0,
    });
  });

  it('treats dated variants as their family, and the longest family name wins', () => {
    expect(getGooglePricing('gemini-2.0-flash-001')).toEqual(getGooglePricing('gemini-2.0-flash'));
    expect(getGooglePricing('gemini-2.5-flash-lite-preview-06-17')).toEqual(
      getGooglePricing('gemini-2.5-flash-lite'),
    );
    expect(getGooglePricing('gemini-2.5-flash-preview-05-20')).toEqual(
      getGooglePricing('gemini-2.5-flash'),
    );
    expect(getGoogleCapabilities('models/gemini-2.5-pro')).toEqual(
      getGoogleCapabilities('gemini-2.5-pro'),
    );
  });

  it('gives unknown ids conservative defaults: chat only, small window, a high price', () => {
    for (const id of ['gemini-9-ultra', 'gemini-2.5-flash-image', 'some-model']) {
      const caps = getGoogleCapabilities(id);
      expect(isKnownGoogleModel(id)).toBe(false);
      expect(caps.features).toEqual(['text_generation', 'chat', 'streaming']);
      expect(caps.contextWindow).toBe(32_768);
      expect(caps.qualityScore).toBe(0.5);
      expect(getGooglePricing(id).inputPerMillion).toBeGreaterThanOrEqual(2);
    }
    expect(getGoogleCapabilities('my-embedding-model').features).toEqual(['embeddings']);
  });

  it('describes embedding models', () => {
    expect(getGoogleCapabilities('gemini-embedding-001').features).toEqual(['embeddings']);
    expect(getGoogleModelTraits('gemini-embedding-001')).toMatchObject({
      kind: 'embedding',
      embeddingDimensions: 3072,
    });
    expect(getGoogleModelTraits('text-embedding-004')).toMatchObject({
      kind: 'embedding',
      embeddingDimensions: 768,
    });
  });

  it('knows which models take penalties and which need thought signatures', () => {
    expect(getGoogleModelTraits('gemini-2.0-flash')).toMatchObject({
      penalties: true,
      thoughtSignatures: false,
    });
    expect(getGoogleModelTraits('gemini-2.5-flash')).toMatchObject({
      penalties: false,
      thoughtSignatures: false,
    });
    expect(getGoogleModelTraits('gemini-3-flash-preview')).toMatchObject({
      penalties: false,
      thoughtSignatures: true,
    });
    expect(getGoogleModelTraits('gemini-3.7-flash')).toMatchObject({ thoughtSignatures: true });
  });

  it('is a pure function of the id', () => {
    expect(getGoogleCapabilities('gemini-2.5-flash')).toBe(
      getGoogleCapabilities('gemini-2.5-flash'),
    );
    expect(getGooglePricing('unknown-x')).toEqual(getGooglePricing('unknown-y'));
  });
});

describe('mapping helpers', () => {
  it('normalizes finish reasons', () => {
    expect(mapGoogleFinishReason('STOP', false)).toBe('stop');
    expect(mapGoogleFinishReason('STOP', true)).toBe('tool_calls');
    expect(mapGoogleFinishReason(undefined, false)).toBe('stop');
    expect(mapGoogleFinishReason('MAX_TOKENS', true)).toBe('length');
    expect(mapGoogleFinishReason('IMAGE_SAFETY', false)).toBe('content_filter');
    expect(mapGoogleFinishReason('UNEXPECTED_TOOL_CALL', false)).toBe('other');
  });

  it('normalizes usage: cached is part of input, thinking is part of output', () => {
    const raw = {
      promptTokenCount: 100,
      cachedContentTokenCount: 60,
      candidatesTokenCount: 20,
      thoughtsTokenCount: 30,
      toolUsePromptTokenCount: 5,
      totalTokenCount: 155,
    };
    expect(convertGoogleUsage(raw)).toEqual({
      inputTokens: 105,
      cachedInputTokens: 60,
      outputTokens: 50,
      reasoningTokens: 30,
      totalTokens: 155,
      raw,
    });
    expect(convertGoogleUsage(undefined)).toEqual({});
    expect(convertGoogleUsage({ promptTokenCount: 7, totalTokenCount: 7 })).toMatchObject({
      inputTokens: 7,
      outputTokens: 0,
    });
  });
});
