import {
  type ChatRequest,
  type ChatResponse,
  calculateCost,
  Model,
  type ModelConfig,
  ProviderInternalError,
} from '@orchestrator/core';

/**
 * A model with a price, a speed and a success rate, answering at once —
 * enough to watch selection, learning and breakers without any network.
 */
export class SimulatedModel extends Model {
  constructor(
    config: ModelConfig,
    private readonly successRate: number,
    private readonly random: () => number,
  ) {
    super(config);
  }

  async generate(request: ChatRequest): Promise<ChatResponse> {
    if (this.random() > this.successRate) {
      throw new ProviderInternalError(`${this.name}: simulated 503`, {
        provider: this.provider,
        model: this.name,
        status: 503,
      });
    }
    const prompt = request.messages
      .map((m) => (typeof m.content === 'string' ? m.content : ''))
      .join(' ');
    const usage = { inputTokens: Math.ceil(prompt.length / 4) + 8, outputTokens: 40 };
    return {
      model: this.name,
      provider: this.provider,
      content: `[simulated ${this.name}] an answer to "${prompt.slice(0, 40)}"`,
      toolCalls: [],
      finishReason: 'stop',
      usage,
      costUsd: calculateCost(this.pricing, usage),
      latencyMs: this.capabilities.firstTokenLatencyMs ?? 0,
      warnings: [],
    };
  }
}
