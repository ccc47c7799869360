import { describe, expect, it } from 'vitest';
import {
  getHuggingFaceCapabilities,
  getHuggingFacePricing,
  getHuggingFaceTask,
  isKnownHuggingFaceModel,
} from './huggingface-capabilities.js';
import { HuggingFaceModel } from './huggingface-model.js';

describe('capabilities and prices from the model id', () => {
  it.each([
    [
      'meta-llama/Llama-3.1-8B-Instruct',
      'chat',
      ['chat', 'tool_calling', 'json_mode', 'streaming'],
      131_072,
    ],
    ['meta-llama/Llama-3.3-70B-Instruct', 'chat', ['chat', 'tool_calling'], 131_072],
    ['Qwen/Qwen2.5-72B-Instruct', 'chat', ['chat', 'tool_calling'], 32_768],
    ['Qwen/Qwen2.5-Coder-32B-Instruct', 'chat', ['code_generation', 'tool_calling'], 32_768],
    ['mistralai/Mistral-7B-Instruct-v0.3', 'chat', ['chat', 'tool_calling'], 32_768],
    ['deepseek-ai/DeepSeek-R1', 'chat', ['chat', 'reasoning'], 163_840],
    ['google/gemma-2-9b-it', 'chat', ['chat', 'streaming'], 8_192],
    ['meta-llama/Llama-3.2-11B-Vision-Instruct', 'chat', ['vision'], 131_072],
    ['openai-community/gpt2', 'text-generation', ['text_generation'], 1_024],
    ['sentence-transformers/all-MiniLM-L6-v2', 'embeddings', ['embeddings'], 256],
    ['BAAI/bge-large-en-v1.5', 'embeddings', ['embeddings'], 512],
  ] as const)('%s', (id, task, features, contextWindow) => {
    expect(isKnownHuggingFaceModel(id)).toBe(true);
    expect(getHuggingFaceTask(id)).toBe(task);
    const caps = getHuggingFaceCapabilities(id);
    for (const f of features) expect(caps.features).toContain(f);
    expect(caps.contextWindow).toBe(contextWindow);
    expect(caps.qualityScore).toBeGreaterThan(0);
    expect(caps.qualityScore).toBeLessThanOrEqual(1);
    const price = getHuggingFacePricing(id);
    expect(price.inputPerMillion).toBeGreaterThan(0);
  });

  it('knows what models lack', () => {
    expect(getHuggingFaceCapabilities('google/gemma-2-9b-it').features).not.toContain(
      'tool_calling',
    );
    expect(getHuggingFaceCapabilities('deepseek-ai/DeepSeek-R1').features).not.toContain(
      'tool_calling',
    );
    expect(getHuggingFaceCapabilities('meta-llama/Llama-3.1-8B-Instruct').features).not.toContain(
      'vision',
    );
    expect(
      getHuggingFaceCapabilities('sentence-transformers/all-MiniLM-L6-v2').features,
    ).not.toContain('chat');
  });

  it('prices the bigger model higher', () => {
    const small = getHuggingFacePricing('meta-llama/Llama-3.1-8B-Instruct');
    const big = getHuggingFacePricing('meta-llama/Llama-3.3-70B-Instruct');
    expect(big.inputPerMillion).toBeGreaterThan(small.inputPerMillion);
    expect(getHuggingFacePricing('deepseek-ai/DeepSeek-R1').outputPerMillion).toBeGreaterThan(
      getHuggingFacePricing('deepseek-ai/DeepSeek-R1').inputPerMillion,
    );
  });

  it('ignores case and router suffixes', () => {
    expect(isKnownHuggingFaceModel('META-LLAMA/llama-3.1-8b-instruct')).toBe(true);
    expect(getHuggingFaceCapabilities('meta-llama/Llama-3.3-70B-Instruct:cerebras')).toEqual(
      getHuggingFaceCapabilities('meta-llama/Llama-3.3-70B-Instruct'),
    );
  });

  it('gives unknown ids conservative defaults', () => {
    const caps = getHuggingFaceCapabilities('someone/fresh-finetune-7b');
    expect(isKnownHuggingFaceModel('someone/fresh-finetune-7b')).toBe(false);
    expect(getHuggingFaceTask('someone/fresh-finetune-7b')).toBe('chat');
    expect(caps.features).toEqual(['text_generation', 'chat', 'streaming']);
    expect(caps.contextWindow).toBe(8_192);
    expect(caps.qualityScore).toBe(0.5);
    const price = getHuggingFacePricing('someone/fresh-finetune-7b');
    expect(price.inputPerMillion).toBeGreaterThanOrEqual(
      getHuggingFacePricing('meta-llama/Llama-3.3-70B-Instruct').inputPerMillion,
    );
    expect(getHuggingFaceTask('sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2')).toBe(
      'embeddings',
    );
  });

  it('is pure: same id, equal result', () => {
    expect(getHuggingFaceCapabilities('Qwen/QwQ-32B')).toEqual(
      getHuggingFaceCapabilities('Qwen/QwQ-32B'),
    );
  });

  it('lets the caller override what the table says', () => {
    const model = new HuggingFaceModel({
      model: 'someone/fresh-finetune-7b',
      endpointUrl: 'http://127.0.0.1:9',
      capabilities: { contextWindow: 32_768 },
      pricing: { inputPerMillion: 0, outputPerMillion: 0 },
      task: 'embeddings',
    });
    expect(model.capabilities.contextWindow).toBe(32_768);
    expect(model.pricing.inputPerMillion).toBe(0);
    expect(model.supports('embeddings')).toBe(true);
  });
});
