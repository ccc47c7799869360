import { describe, expect, it } from 'vitest';
import { InvalidModelConfigError } from '../errors/registry-errors.js';
import type { ChatChunk, ChatRequest, ChatResponse } from '../types/chat.js';
import { Model } from './model.js';

// The README's example: a custom model in a few lines.
class ShoutModel extends Model {
  constructor() {
    super({
      name: 'shout',
      provider: 'local',
      capabilities: { features: ['chat', 'text_generation'], qualityScore: 0.3 },
    });
  }
  async generate(request: ChatRequest): Promise<ChatResponse> {
    const text = request.messages
      .map((m) => (typeof m.content === 'string' ? m.content : ''))
      .join(' ');
    return {
      model: this.name,
      provider: this.provider,
      content: text.toUpperCase(),
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 3 },
      costUsd: 0,
      latencyMs: 1,
      warnings: [],
    };
  }
}

describe('Model', () => {
  it('a subclass needs only generate(); generateResponse and stream come for free', async () => {
    const model = new ShoutModel();
    expect(await model.generateResponse('hello')).toBe('HELLO');
    const chunks: ChatChunk[] = [];
    for await (const chunk of model.stream({ messages: [{ role: 'user', content: 'hi' }] }))
      chunks.push(chunk);
    expect(chunks.map((c) => c.type)).toEqual(['text-delta', 'finish']);
    expect(chunks[0]).toEqual({ type: 'text-delta', text: 'HI' });
    expect(model.supports('chat')).toBe(true);
    expect(model.supports('vision')).toBe(false);
    expect(model.capabilities.contextWindow).toBe(8_192);
  });

  it.each([
    [{ name: '', provider: 'p' }, 'name'],
    [{ name: 'm', provider: '' }, 'provider'],
    [
      { name: 'm', provider: 'p', capabilities: { qualityScore: 1.5 } },
      'capabilities.qualityScore',
    ],
    [
      { name: 'm', provider: 'p', capabilities: { contextWindow: -1 } },
      'capabilities.contextWindow',
    ],
    [
      { name: 'm', provider: 'p', pricing: { inputPerMillion: -1, outputPerMillion: 1 } },
      'pricing.inputPerMillion',
    ],
    [{ name: 'm', provider: 'p', constraints: { rpm: 0 } }, 'constraints.rpm'],
  ])('rejects bad configuration %j naming %s', (config, param) => {
    class M extends Model {
      async generate(): Promise<ChatResponse> {
        throw new Error('unused');
      }
    }
    const create = () => new M(config as ConstructorParameters<typeof M>[0]);
    expect(create).toThrow(InvalidModelConfigError);
    expect(create).toThrow(param);
  });
});
