import {
  AbortedError,
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  calculateCost,
  callScope,
  classifyHttpError,
  type HealthCheckResult,
  InvalidResponseError,
  Model,
  NetworkError,
  OrchestratorError,
  ProviderInternalError,
  TimeoutError,
} from '@orchestrator/core';

/** What our in-house inference service answers (POST /generate). */
interface ServiceReply {
  readonly text: string;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly stopped_by: 'eos' | 'max_tokens';
}

export interface InHouseSettings {
  readonly baseURL: string;
  readonly apiKey?: string;
  readonly fetch?: typeof fetch;
}

/**
 * A model served by an in-house HTTP service, end to end: it describes
 * itself, maps the normalized request, classifies failures by meaning,
 * honours cancellation and timeouts, computes cost, and checks its health.
 */
export class InHouseModel extends Model {
  private readonly fetch: typeof fetch;

  constructor(
    modelId: string,
    private readonly settings: InHouseSettings,
  ) {
    super({
      name: `in-house/${modelId}`,
      provider: 'in-house',
      capabilities: {
        features: ['chat', 'text_generation', 'code_generation'],
        contextWindow: 32_768,
        maxOutputTokens: 4_096,
        taskTypes: ['code_generation', 'code_completion'],
        qualityScore: 0.7,
        tokensPerSecond: 80,
      },
      pricing: { inputPerMillion: 0.05, outputPerMillion: 0.2 },
      constraints: { timeoutMs: 30_000, rpm: 600 },
    });
    this.fetch = settings.fetch ?? globalThis.fetch;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const started = performance.now();
    // One signal for the caller's cancellation and this call's timeout.
    const scope = callScope(options, this.constraints.timeoutMs);
    try {
      const response = await this.send(request, scope.signal, options?.headers);
      const reply = await this.read(response);
      const usage = {
        inputTokens: reply.prompt_tokens,
        outputTokens: reply.completion_tokens,
      };
      return {
        model: this.name,
        provider: this.provider,
        content: reply.text,
        toolCalls: [],
        finishReason: reply.stopped_by === 'eos' ? 'stop' : 'length',
        rawFinishReason: reply.stopped_by,
        usage,
        costUsd: calculateCost(this.pricing, usage),
        latencyMs: performance.now() - started,
        // Settings this service cannot honour are warnings, never exceptions.
        warnings: request.tools?.length ? [{ type: 'unsupported-setting', setting: 'tools' }] : [],
      };
    } catch (error) {
      throw this.classify(error, scope.timedOut());
    } finally {
      scope.dispose();
    }
  }

  /** Streams by wrapping `generate`; a mid-stream failure is an `error` chunk, never a throw. */
  override async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    try {
      const response = await this.generate(request, options);
      yield { type: 'text-delta', text: response.content };
      yield {
        type: 'finish',
        finishReason: response.finishReason,
        usage: response.usage,
        costUsd: response.costUsd,
      };
    } catch (error) {
      yield { type: 'error', error: this.classify(error, false) };
    }
  }

  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const started = performance.now();
    try {
      const response = await this.fetch(`${this.settings.baseURL}/health`, {
        ...(signal ? { signal } : {}),
      });
      return { healthy: response.ok, latencyMs: performance.now() - started };
    } catch (error) {
      return { healthy: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private send(
    request: ChatRequest,
    signal: AbortSignal,
    extraHeaders: Readonly<Record<string, string>> | undefined,
  ): Promise<Response> {
    const prompt = request.messages
      .map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : ''}`)
      .join('\n');
    return this.fetch(`${this.settings.baseURL}/generate`, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
        ...extraHeaders,
      },
      body: JSON.stringify({
        system: request.system,
        prompt,
        max_tokens: request.maxTokens ?? this.capabilities.maxOutputTokens,
        temperature: request.temperature,
      }),
    });
  }

  private async read(response: Response): Promise<ServiceReply> {
    const body = await response.text();
    if (!response.ok) {
      // Status, Retry-After and message → RateLimitError, AuthenticationError, …; the key is redacted.
      throw classifyHttpError({
        provider: this.provider,
        model: this.name,
        status: response.status,
        message: body.slice(0, 500),
        headers: response.headers,
        secrets: [this.settings.apiKey],
      });
    }
    // Provider output is untrusted: a surprise shape is a typed error, not a TypeError later.
    const reply = safeJson(body) as Partial<ServiceReply> | undefined;
    if (typeof reply?.text !== 'string' || typeof reply.completion_tokens !== 'number') {
      throw new InvalidResponseError('in-house: unexpected reply shape', {
        provider: this.provider,
        model: this.name,
        status: response.status,
      });
    }
    return reply as ServiceReply;
  }

  /** Every failure leaves as an OrchestratorError that says what it means. */
  private classify(error: unknown, timedOut: boolean): OrchestratorError {
    if (OrchestratorError.isInstance(error)) return error;
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
      return timedOut
        ? new TimeoutError('in-house: timed out', { provider: this.provider, model: this.name })
        : new AbortedError('in-house: cancelled by the caller', error);
    }
    if (error instanceof TypeError) {
      // fetch rejects with a TypeError when the connection fails before an answer.
      return new NetworkError(`in-house: ${error.message}`, {
        provider: this.provider,
        model: this.name,
        cause: error,
      });
    }
    return new ProviderInternalError(`in-house: ${String(error)}`, {
      provider: this.provider,
      model: this.name,
      cause: error,
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
