import { type ChatRequest, type ChatResponse, Model } from '@orchestrator/core';

/**
 * A custom model in a few lines: subclass `Model`, describe it, implement
 * `generate`. This one answers from a table of canned replies — stand in
 * your own inference code, a local library, or an in-house HTTP service.
 */
export class KeywordModel extends Model {
  constructor(private readonly replies: Record<string, string>) {
    super({
      name: 'keyword-bot',
      provider: 'in-house',
      capabilities: {
        features: ['chat', 'text_generation'],
        qualityScore: 0.4,
        tokensPerSecond: 5_000,
      },
      pricing: { inputPerMillion: 0, outputPerMillion: 0 },
    });
  }

  async generate(request: ChatRequest): Promise<ChatResponse> {
    const started = performance.now();
    const last = request.messages.at(-1);
    const text = typeof last?.content === 'string' ? last.content.toLowerCase() : '';
    const hit = Object.keys(this.replies).find((k) => text.includes(k));
    const content = hit ? this.replies[hit]! : 'I only know a few canned answers.';
    return {
      model: this.name,
      provider: this.provider,
      content,
      toolCalls: [],
      finishReason: 'stop',
      usage: {
        inputTokens: Math.ceil(text.length / 4),
        outputTokens: Math.ceil(content.length / 4),
      },
      costUsd: 0,
      latencyMs: performance.now() - started,
      warnings: [],
    };
  }
}
