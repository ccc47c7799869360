import { InvalidModelConfigError } from '../errors/registry-errors.js';
import { FREE_PRICING } from '../pricing/calculate-cost.js';
import type {
  Capability,
  ModelCapabilities,
  ModelConstraints,
  ModelPricing,
} from '../types/capabilities.js';
import type { CallOptions, ChatChunk, ChatRequest, ChatResponse } from '../types/chat.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types/embedding.js';
import type {
  ImageGenerationRequest,
  ImageGenerationResponse,
  TranscriptionRequest,
  TranscriptionResponse,
} from '../types/media.js';
import { ModelMetrics } from './model-metrics.js';
import { responseChunks } from './response-chunks.js';

export interface HealthCheckResult {
  readonly healthy: boolean;
  readonly latencyMs?: number;
  readonly message?: string;
}

export interface ModelConfig {
  /** Unique name in a registry; what requests pin and what metrics are keyed by. */
  readonly name: string;
  /** Provider family, such as `openai` or `anthropic`. */
  readonly provider: string;
  readonly capabilities?: Partial<ModelCapabilities>;
  readonly constraints?: ModelConstraints;
  readonly pricing?: ModelPricing;
}

/** Conservative defaults for a model nobody described: chat only, 8k context, average quality. */
export const DEFAULT_CAPABILITIES: ModelCapabilities = Object.freeze({
  features: Object.freeze(['text_generation', 'chat'] as Capability[]),
  contextWindow: 8_192,
  maxOutputTokens: 4_096,
  taskTypes: Object.freeze([]),
  qualityScore: 0.5,
});

/**
 * A model behind one interface. Subclass it and implement `generate`;
 * `stream` defaults to one chunk built from `generate`, and the optional
 * methods are implemented where the provider has them.
 */
export abstract class Model {
  readonly name: string;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;
  readonly constraints: ModelConstraints;
  readonly pricing: ModelPricing;
  readonly metrics = new ModelMetrics();

  constructor(config: ModelConfig) {
    validateConfig(config);
    this.name = config.name;
    this.provider = config.provider;
    this.capabilities = normalizeCapabilities(config.capabilities);
    this.constraints = normalizeConstraints(config.constraints);
    this.pricing = normalizePricing(config.pricing ?? FREE_PRICING);
  }

  abstract generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>;

  /**
   * Streams the response. The default runs `generate` and yields its result
   * as one delta, so every model can serve a streaming caller.
   */
  async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    yield* responseChunks(await this.generate(request, options));
  }

  embed?(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse>;
  generateImage?(
    request: ImageGenerationRequest,
    options?: CallOptions,
  ): Promise<ImageGenerationResponse>;
  transcribe?(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResponse>;
  translate?(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResponse>;
  /** A cheap liveness check (a model listing, not a generation). */
  healthCheck?(signal?: AbortSignal): Promise<HealthCheckResult>;

  /** One prompt in, the answer's text out. */
  async generateResponse(
    prompt: string,
    options?: CallOptions & { system?: string; maxTokens?: number },
  ): Promise<string> {
    const response = await this.generate(
      {
        messages: [{ role: 'user', content: prompt }],
        ...(options?.system === undefined ? {} : { system: options.system }),
        ...(options?.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      },
      options,
    );
    return response.content;
  }

  supports(capability: Capability): boolean {
    return this.capabilities.features.includes(capability);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      provider: this.provider,
      capabilities: this.capabilities,
      constraints: this.constraints,
      pricing: this.pricing,
    };
  }
}

// Every model's capabilities, pricing and constraints get one fixed shape
// (every key present, in one order) and are not frozen: V8 reads fields of
// frozen or differently-shaped objects up to ten times slower, and selection
// reads them for every model on every request. `readonly` types guard them.
function normalizeCapabilities(c: Partial<ModelCapabilities> = {}): ModelCapabilities {
  const d = DEFAULT_CAPABILITIES;
  return {
    features: [...(c.features ?? d.features)],
    contextWindow: c.contextWindow ?? d.contextWindow,
    maxOutputTokens: c.maxOutputTokens ?? d.maxOutputTokens,
    taskTypes: [...(c.taskTypes ?? d.taskTypes)],
    qualityScore: c.qualityScore ?? d.qualityScore,
    qualityByTask: c.qualityByTask === undefined ? undefined : { ...c.qualityByTask },
    tokensPerSecond: c.tokensPerSecond,
    firstTokenLatencyMs: c.firstTokenLatencyMs,
  } as ModelCapabilities;
}

function normalizePricing(p: ModelPricing): ModelPricing {
  return {
    inputPerMillion: p.inputPerMillion,
    outputPerMillion: p.outputPerMillion,
    cachedInputPerMillion: p.cachedInputPerMillion,
    reasoningPerMillion: p.reasoningPerMillion,
    perRequest: p.perRequest,
    perImage: p.perImage,
    perAudioMinute: p.perAudioMinute,
  } as ModelPricing;
}

function normalizeConstraints(c: ModelConstraints = {}): ModelConstraints {
  return {
    maxCostPerRequest: c.maxCostPerRequest,
    rpm: c.rpm,
    tpm: c.tpm,
    maxConcurrency: c.maxConcurrency,
    timeoutMs: c.timeoutMs,
  } as ModelConstraints;
}

function validateConfig(config: ModelConfig): void {
  if (typeof config?.name !== 'string' || config.name.trim() === '') {
    throw new InvalidModelConfigError('name', 'must be a non-empty string');
  }
  if (typeof config.provider !== 'string' || config.provider.trim() === '') {
    throw new InvalidModelConfigError('provider', 'must be a non-empty string');
  }
  const caps = config.capabilities;
  if (caps?.qualityScore !== undefined && !(caps.qualityScore >= 0 && caps.qualityScore <= 1)) {
    throw new InvalidModelConfigError(
      'capabilities.qualityScore',
      `must be within [0, 1], got ${caps.qualityScore}`,
    );
  }
  for (const key of ['contextWindow', 'maxOutputTokens'] as const) {
    const v = caps?.[key];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
      throw new InvalidModelConfigError(
        `capabilities.${key}`,
        `must be a positive integer, got ${v}`,
      );
    }
  }
  if (config.pricing) {
    for (const [key, value] of Object.entries(config.pricing)) {
      if (
        value !== undefined &&
        !(typeof value === 'number' && value >= 0 && Number.isFinite(value))
      ) {
        throw new InvalidModelConfigError(
          `pricing.${key}`,
          `must be a non-negative number, got ${String(value)}`,
        );
      }
    }
  }
  if (config.constraints) {
    for (const [key, value] of Object.entries(config.constraints)) {
      if (
        value !== undefined &&
        !(typeof value === 'number' && value > 0 && Number.isFinite(value))
      ) {
        throw new InvalidModelConfigError(
          `constraints.${key}`,
          `must be a positive number, got ${String(value)}`,
        );
      }
    }
  }
}
