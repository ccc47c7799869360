import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import { ModelHealthMonitor } from '../health/model-health-monitor.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { countRequestTokens } from '../tokens/count-request-tokens.js';
import { countTokensDetailed } from '../tokens/count-tokens.js';
import { isTokenizerLoaded } from '../tokens/tokenizer-registry.js';
import { Orchestrator } from './orchestrator.js';

// vitest gives each test file a fresh module graph: the encodings start unloaded here.
describe('Orchestrator.warmUp', () => {
  it('loads the tokenizers of the registered OpenAI-family models, and only those', async () => {
    const registry = new ModelRegistry({
      healthMonitor: new ModelHealthMonitor({ checkInterval: 0 }),
    });
    registry.register(new EchoModel({ name: 'openai/gpt-4o-mini' }));
    registry.register(new EchoModel({ name: 'claude-sonnet-4' }));
    const engine = new Orchestrator({ registry });
    const request = {
      messages: [
        {
          role: 'user' as const,
          content:
            'The quick brown fox jumps over the lazy dog. It was the best of times, it was the worst of times.',
        },
      ],
    };
    const estimated = countRequestTokens(request, 'openai/gpt-4o-mini');
    expect(isTokenizerLoaded('o200k_base')).toBe(false);

    await engine.warmUp();
    expect(isTokenizerLoaded('o200k_base')).toBe(true);
    expect(isTokenizerLoaded('cl100k_base')).toBe(false);
    // Reservations now count this model's input exactly (text + framing), below the estimate.
    const text = request.messages[0]!.content;
    const exact = countRequestTokens(request, 'openai/gpt-4o-mini');
    expect(countTokensDetailed(text, 'openai/gpt-4o-mini').exact).toBe(true);
    expect(exact).toBe(countTokensDetailed(text, 'openai/gpt-4o-mini').tokens + 4 + 3);
    expect(exact).toBeLessThan(estimated);
    await engine.warmUp();
    const response = await engine.process({ ...request, model: 'openai/gpt-4o-mini' });
    expect(response.modelUsed).toBe('openai/gpt-4o-mini');
  });
});
