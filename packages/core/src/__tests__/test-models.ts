import { Model, type ModelConfig } from '../model/model.js';
import { calculateCost } from '../pricing/calculate-cost.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';

/** A model that answers at once, for registry and selector tests; counts its calls. */
export class EchoModel extends Model {
  calls = 0;
  healthy = true;
  healthChecks = 0;

  constructor(config: Partial<ModelConfig> & { name: string }) {
    super({ provider: 'test', ...config });
  }

  async generate(request: ChatRequest): Promise<ChatResponse> {
    this.calls++;
    const last = request.messages.at(-1);
    const content = typeof last?.content === 'string' ? last.content : '';
    const usage = { inputTokens: 10, outputTokens: 5 };
    return {
      model: this.name,
      provider: this.provider,
      content: `echo: ${content}`,
      toolCalls: [],
      finishReason: 'stop',
      usage,
      costUsd: calculateCost(this.pricing, usage),
      latencyMs: 0,
      warnings: [],
    };
  }

  override async healthCheck(): Promise<{ healthy: boolean }> {
    this.healthChecks++;
    return { healthy: this.healthy };
  }
}
