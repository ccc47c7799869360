import { describe, expect, it } from 'vitest';
import {
  getOllamaCapabilities,
  getOllamaPricing,
  LazyOllamaModel,
  OLLAMA_DEFAULT_NUM_CTX,
  OllamaModel,
  parseOllamaModelId,
} from './index.js';

describe('getOllamaCapabilities', () => {
  it('knows the well-known families and maps tags to them', () => {
    const base = getOllamaCapabilities('llama3.1');
    expect(base.contextWindow).toBe(131_072);
    expect(base.features).toEqual(
      expect.arrayContaining(['chat', 'streaming', 'json_mode', 'tool_calling']),
    );
    expect(getOllamaCapabilities('llama3.1:8b')).toEqual(base);
    expect(getOllamaCapabilities('registry.ollama.ai/library/llama3.1:8b')).toEqual(base);
    expect(getOllamaCapabilities('llama3.1:70b').qualityScore).toBeGreaterThan(base.qualityScore);
    expect(getOllamaCapabilities('llama3.1:70b').tokensPerSecond).toBeLessThan(
      base.tokensPerSecond!,
    );
    for (const id of [
      'llama3.2',
      'llama3.3',
      'qwen2.5',
      'qwen2.5-coder',
      'qwen3',
      'mistral',
      'mixtral',
      'gemma2',
      'gemma3',
      'phi3',
      'phi4',
      'deepseek-r1',
      'codellama',
      'llava',
    ]) {
      const caps = getOllamaCapabilities(id);
      expect(caps.features, id).toContain('chat');
      expect(caps.qualityScore, id).toBeGreaterThan(0.45 - 1e-9);
    }
  });

  it('tells what each family does', () => {
    expect(getOllamaCapabilities('llava:13b').features).toContain('vision');
    expect(getOllamaCapabilities('gemma3:12b').features).toContain('vision');
    expect(getOllamaCapabilities('gemma3:1b').features).not.toContain('vision');
    expect(getOllamaCapabilities('deepseek-r1:14b').features).toContain('reasoning');
    expect(getOllamaCapabilities('qwen2.5-coder:32b').taskTypes).toContain('code_generation');
    expect(getOllamaCapabilities('gemma2').features).not.toContain('tool_calling');
    expect(getOllamaCapabilities('phi3').contextWindow).toBe(4_096);
    expect(getOllamaCapabilities('phi3:medium-128k').contextWindow).toBe(131_072);
    for (const id of ['nomic-embed-text', 'mxbai-embed-large:latest', 'all-minilm:l6-v2']) {
      expect(getOllamaCapabilities(id).features, id).toEqual(['embeddings']);
    }
  });

  it('gives unknown ids conservative defaults and every id a zero price', () => {
    const unknown = getOllamaCapabilities('hf.co/someone/custom-model-GGUF:Q4_K_M');
    expect(unknown).toMatchObject({
      contextWindow: 4_096,
      maxOutputTokens: 2_048,
      taskTypes: [],
      qualityScore: 0.45,
    });
    expect(unknown.features).toEqual(['text_generation', 'chat', 'json_mode', 'streaming']);
    expect(getOllamaPricing('llama3.1')).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
    expect(getOllamaPricing('anything')).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
  });

  it('parses ids', () => {
    expect(parseOllamaModelId('Llama3.1:70B')).toEqual({ family: 'llama3.1', tag: '70b' });
    expect(parseOllamaModelId('library/qwen3')).toEqual({ family: 'qwen3', tag: 'latest' });
    expect(parseOllamaModelId('localhost:5000/team/model')).toEqual({
      family: 'localhost:5000/team/model',
      tag: 'latest',
    });
  });
});

describe('capabilities of a model instance', () => {
  it('reports the context a local server serves (num_ctx), not more than the model has', () => {
    expect(new OllamaModel('llama3.1').capabilities.contextWindow).toBe(OLLAMA_DEFAULT_NUM_CTX);
    expect(new OllamaModel('llama3.1', { numCtx: 32_768 }).capabilities.contextWindow).toBe(32_768);
    expect(new OllamaModel('phi3', { numCtx: 32_768 }).capabilities.contextWindow).toBe(4_096);
    expect(
      new OllamaModel('llama3.1', { host: 'https://ollama.com' }).capabilities.contextWindow,
    ).toBe(131_072);
    const custom = new LazyOllamaModel('llama3.1', {
      capabilities: { qualityScore: 0.9 },
      name: 'local-llama',
    });
    expect(custom.capabilities.qualityScore).toBe(0.9);
    expect(custom.name).toBe('local-llama');
    expect(new OllamaModel('llama3.1').name).toBe('ollama/llama3.1');
    expect(new OllamaModel('llama3.1').pricing).toEqual({
      inputPerMillion: 0,
      outputPerMillion: 0,
    });
    expect(
      new OllamaModel('llama3.1', { pricing: { inputPerMillion: 0.1, outputPerMillion: 0.2 } })
        .pricing.inputPerMillion,
    ).toBe(0.1);
  });
});
