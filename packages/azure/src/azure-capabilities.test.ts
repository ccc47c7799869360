import { getOpenAICapabilities, getOpenAIPricing } from '@orchestrator/openai';
import { describe, expect, it } from 'vitest';
import {
  getAzureCapabilities,
  getAzureModelSpec,
  getAzurePricing,
  KNOWN_AZURE_MODEL_IDS,
  resolveAzureModelId,
} from './index.js';

describe('getAzureCapabilities', () => {
  it('covers the GitHub Models catalogue named in the issue, in any letter case', () => {
    for (const id of [
      'mistral-ai/Codestral-2501',
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'cohere/cohere-command-r-08-2024',
      'cohere/cohere-command-r-plus-08-2024',
      'meta/Meta-Llama-3.1-70B-Instruct',
      'meta/Meta-Llama-3.1-405B-Instruct',
      'mistral-ai/Mistral-Large-2411',
      'mistral-ai/Mistral-Nemo',
    ]) {
      expect(getAzureModelSpec(id).known, id).toBe(true);
      expect(getAzurePricing(id).inputPerMillion, id).toBeGreaterThan(0);
    }
    expect(resolveAzureModelId('meta/Meta-Llama-3.1-405B-Instruct')).toBe(
      'meta/meta-llama-3.1-405b-instruct',
    );
  });

  it('takes OpenAI models, by catalogue id or deployment name, from the OpenAI table', () => {
    expect(getAzureCapabilities('openai/gpt-4o')).toEqual(getOpenAICapabilities('gpt-4o'));
    expect(getAzurePricing('openai/gpt-4o-mini')).toEqual(getOpenAIPricing('gpt-4o-mini'));
    expect(getAzureCapabilities('gpt-4.1')).toEqual(getOpenAICapabilities('gpt-4.1'));
    expect(getAzureModelSpec('openai/o4-mini').reasoning).toBe(true);
    expect(getAzureCapabilities('openai/text-embedding-3-small').features).toEqual(['embeddings']);
  });

  it('describes the other publishers by what they can do', () => {
    expect(getAzureCapabilities('mistral-ai/codestral-2501')).toMatchObject({
      contextWindow: 262_144,
      taskTypes: expect.arrayContaining(['code_completion']),
    });
    expect(getAzureCapabilities('mistral-ai/codestral-2501').features).not.toContain(
      'tool_calling',
    );
    expect(getAzureCapabilities('mistral-ai/mistral-large-2411').features).toEqual(
      expect.arrayContaining(['tool_calling', 'json_mode']),
    );
    expect(
      getAzureCapabilities('cohere/cohere-command-r-plus-08-2024').qualityScore,
    ).toBeGreaterThan(getAzureCapabilities('cohere/cohere-command-r-08-2024').qualityScore);
    expect(getAzureModelSpec('deepseek/deepseek-r1')).toMatchObject({ reasoning: false });
    expect(getAzureCapabilities('deepseek/deepseek-r1').features).toContain('reasoning');
  });

  it('gives unknown ids conservative defaults, OpenAI rules only to OpenAI ids', () => {
    expect(getAzureModelSpec('xai/grok-3')).toMatchObject({
      known: false,
      reasoning: false,
      pricing: { inputPerMillion: 0, outputPerMillion: 0 },
      capabilities: { features: ['text_generation', 'chat', 'streaming'], contextWindow: 8_192 },
    });
    expect(getAzureModelSpec('acme/gpt-4o')).toMatchObject({ known: false });
    expect(getAzureModelSpec('openai/gpt-5.4')).toMatchObject({ known: false, reasoning: true });
    expect(getAzureCapabilities('cohere/cohere-embed-v3-english').features).toEqual(['embeddings']);
    expect(getAzureModelSpec('my-deployment')).toMatchObject({ known: false });
  });

  it('keeps every row valid', () => {
    for (const id of KNOWN_AZURE_MODEL_IDS) {
      const caps = getAzureCapabilities(id);
      expect(caps.qualityScore).toBeGreaterThan(0);
      expect(caps.qualityScore).toBeLessThanOrEqual(1);
      expect(caps.maxOutputTokens).toBeLessThanOrEqual(caps.contextWindow);
    }
  });
});
