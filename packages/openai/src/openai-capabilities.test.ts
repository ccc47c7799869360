import { describe, expect, it } from 'vitest';
import {
  getOpenAICapabilities,
  getOpenAIModelSpec,
  getOpenAIPricing,
  isOpenAIReasoningModel,
  KNOWN_OPENAI_MODEL_IDS,
  resolveOpenAIModelId,
} from './index.js';

describe('getOpenAICapabilities', () => {
  it('describes well-known chat models', () => {
    const gpt4o = getOpenAICapabilities('gpt-4o');
    expect(gpt4o.features).toEqual(
      expect.arrayContaining(['chat', 'vision', 'tool_calling', 'json_mode', 'streaming']),
    );
    expect(gpt4o.contextWindow).toBe(128_000);
    expect(gpt4o.maxOutputTokens).toBe(16_384);
    expect(getOpenAICapabilities('gpt-4.1').contextWindow).toBe(1_047_576);
    expect(getOpenAICapabilities('gpt-5').features).toContain('reasoning');
    expect(getOpenAICapabilities('o3-mini').features).not.toContain('vision');
    expect(getOpenAICapabilities('gpt-3.5-turbo').features).not.toContain('vision');
    expect(getOpenAICapabilities('gpt-5').qualityScore).toBeGreaterThan(
      getOpenAICapabilities('gpt-5-nano').qualityScore,
    );
  });

  it('describes embedding, image and audio models by what they do', () => {
    expect(getOpenAICapabilities('text-embedding-3-small').features).toEqual(['embeddings']);
    expect(getOpenAICapabilities('dall-e-3').features).toEqual(['image_generation']);
    expect(getOpenAICapabilities('whisper-1').features).toEqual([
      'audio_transcription',
      'audio_translation',
    ]);
    expect(getOpenAICapabilities('gpt-4o-transcribe').features).toEqual(['audio_transcription']);
  });

  it('resolves snapshots, fine-tunes and publisher prefixes to their family', () => {
    expect(resolveOpenAIModelId('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(resolveOpenAIModelId('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(resolveOpenAIModelId('gpt-4-0613')).toBe('gpt-4');
    expect(resolveOpenAIModelId('gpt-4-turbo-2024-04-09')).toBe('gpt-4-turbo');
    expect(resolveOpenAIModelId('o3-mini-2025-01-31')).toBe('o3-mini');
    expect(resolveOpenAIModelId('ft:gpt-4o-mini:acme::abc123')).toBe('gpt-4o-mini');
    expect(resolveOpenAIModelId('openai/gpt-4.1')).toBe('gpt-4.1');
    expect(resolveOpenAIModelId('gpt-4o-audio-preview')).toBeUndefined();
    expect(resolveOpenAIModelId('gpt-5.4')).toBeUndefined();
  });

  it('gives unknown ids conservative defaults, keeping what the family says', () => {
    const unknown = getOpenAIModelSpec('my-finetuned-llama');
    expect(unknown.known).toBe(false);
    expect(unknown.capabilities).toEqual({
      features: ['text_generation', 'chat', 'streaming'],
      contextWindow: 8_192,
      maxOutputTokens: 4_096,
      taskTypes: [],
      qualityScore: 0.5,
    });
    expect(unknown.pricing).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
    expect(getOpenAIModelSpec('gpt-5.4')).toMatchObject({ known: false, reasoning: true });
    expect(getOpenAICapabilities('nomic-embed-text').features).toEqual(['embeddings']);
  });

  it('is a pure function of the id', () => {
    expect(getOpenAICapabilities('gpt-4o')).toEqual(getOpenAICapabilities('gpt-4o'));
    for (const id of KNOWN_OPENAI_MODEL_IDS) {
      const caps = getOpenAICapabilities(id);
      expect(caps.qualityScore).toBeGreaterThanOrEqual(0);
      expect(caps.qualityScore).toBeLessThanOrEqual(1);
      expect(Number.isInteger(caps.contextWindow) && caps.contextWindow > 0).toBe(true);
      expect(Number.isInteger(caps.maxOutputTokens) && caps.maxOutputTokens > 0).toBe(true);
    }
  });
});

describe('prices and reasoning', () => {
  it('prices known models per million tokens, images per image, audio per minute', () => {
    expect(getOpenAIPricing('gpt-4o')).toEqual({
      inputPerMillion: 2.5,
      cachedInputPerMillion: 1.25,
      outputPerMillion: 10,
    });
    expect(getOpenAIPricing('gpt-4o-mini-2024-07-18')).toMatchObject({
      inputPerMillion: 0.15,
      outputPerMillion: 0.6,
    });
    expect(getOpenAIPricing('gpt-5')).toMatchObject({
      inputPerMillion: 1.25,
      outputPerMillion: 10,
    });
    expect(getOpenAIPricing('text-embedding-3-small').inputPerMillion).toBe(0.02);
    expect(getOpenAIPricing('dall-e-3').perImage).toBe(0.04);
    expect(getOpenAIPricing('whisper-1').perAudioMinute).toBe(0.006);
  });

  it('knows which models reason', () => {
    for (const id of [
      'o1',
      'o3',
      'o3-mini',
      'o4-mini',
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-nano',
      'o3-2025-04-16',
      'o5-preview',
    ]) {
      expect(isOpenAIReasoningModel(id), id).toBe(true);
    }
    for (const id of [
      'gpt-4o',
      'gpt-4.1',
      'gpt-5-chat-latest',
      'gpt-3.5-turbo',
      'omni-moderation-latest',
      'llama3',
    ]) {
      expect(isOpenAIReasoningModel(id), id).toBe(false);
    }
  });
});
