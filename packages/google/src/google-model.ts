import {
  type EmbedContentConfig,
  type Fetch,
  type GenerateContentConfig,
  type GenerateContentResponse,
  GoogleGenAI,
  type HttpOptions,
} from '@google/genai';
import {
  AuthenticationError,
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  calculateCost,
  callSignal,
  type EmbeddingRequest,
  type EmbeddingResponse,
  estimateTextTokens,
  type HealthCheckResult,
  InvalidResponseError,
  Model,
  OrchestratorError,
  timedCallScope,
  UnsupportedFeatureError,
} from '@orchestrator/core';
import { CallTrace } from './call-trace.js';
import { convertToGeminiRequest, type GeminiRequest } from './convert-to-gemini-request.js';
import { blockedPromptError, GeminiStreamState } from './gemini-stream.js';
import {
  type GoogleModelId,
  type GoogleModelTraits,
  getGoogleCapabilities,
  getGoogleModelTraits,
  getGooglePricing,
} from './google-capabilities.js';
import { toGoogleError } from './google-error.js';
import { parseGoogleEmbeddingOptions } from './google-provider-options.js';
import { type GoogleModelSettings, resolveConnection } from './google-settings.js';
import {
  convertGoogleUsage,
  type MappedToolCall,
  mapGoogleFinishReason,
  readParts,
} from './map-gemini-response.js';
import { defaultFetch } from './no-timeout-fetch.js';

/** How many thought signatures a model keeps to replay with its own function calls. */
const SIGNATURE_CACHE_SIZE = 2_048;

/**
 * A Gemini model over the official `@google/genai` SDK (Gemini Developer
 * API). The SDK runs with retries, automatic function calling and automatic
 * continuation off: one call is one HTTP request, and retrying belongs to
 * the orchestrator.
 */
export class GoogleModel extends Model {
  readonly modelId: string;
  private readonly apiKey: string | undefined;
  private readonly baseURL: string | undefined;
  private readonly apiVersion: string | undefined;
  private readonly headers: Readonly<Record<string, string>> | undefined;
  private readonly baseFetch: Fetch;
  private readonly traits: GoogleModelTraits;
  private readonly signatures = new Map<string, string>();
  private client: GoogleGenAI | undefined;

  constructor(settings: GoogleModelSettings) {
    const id = settings.model.replace(/^models\//, '');
    const timeoutMs = settings.constraints?.timeoutMs ?? settings.timeoutMs;
    super({
      name: settings.name ?? id,
      provider: 'google',
      capabilities: { ...getGoogleCapabilities(id), ...settings.capabilities },
      pricing: settings.pricing ?? getGooglePricing(id),
      constraints: { ...settings.constraints, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    });
    this.modelId = id;
    this.traits = getGoogleModelTraits(id);
    const connection = resolveConnection(settings);
    this.apiKey = connection.apiKey;
    this.baseURL = connection.baseURL;
    this.apiVersion = connection.apiVersion;
    this.headers = settings.headers;
    this.baseFetch = settings.fetch ?? defaultFetch;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const started = performance.now();
    const prepared = this.prepare(request);
    const trace = new CallTrace();
    const call = timedCallScope(options, this.constraints.timeoutMs);
    const signal = call.signal;
    let response: GenerateContentResponse;
    try {
      response = await this.getClient().models.generateContent({
        model: this.modelId,
        contents: prepared.contents,
        config: this.perCall(prepared.config, options, signal, trace),
      });
    } catch (error) {
      throw toGoogleError(error, { model: this.modelId, apiKey: this.apiKey, signal, trace });
    } finally {
      call.dispose();
    }
    try {
      return this.toChatResponse(response, prepared.warnings, started);
    } catch (error) {
      if (OrchestratorError.isInstance(error)) throw error;
      throw new InvalidResponseError(
        `google (${this.modelId}): the response has an unexpected shape: ${(error as Error).message}`,
        { provider: 'google', model: this.modelId, cause: error },
      );
    }
  }

  private toChatResponse(
    response: GenerateContentResponse,
    warnings: ChatResponse['warnings'],
    started: number,
  ): ChatResponse {
    const blocked = str(response.promptFeedback?.blockReason);
    if (blocked) {
      throw blockedPromptError(
        this.modelId,
        blocked,
        str(response.promptFeedback?.blockReasonMessage),
      );
    }
    const candidate = Array.isArray(response.candidates) ? response.candidates[0] : undefined;
    if (!candidate) {
      throw new InvalidResponseError(`google (${this.modelId}): the response has no candidates.`, {
        provider: 'google',
        model: this.modelId,
      });
    }
    const responseId = str(response.responseId);
    const rawFinish = str(candidate.finishReason);
    const { text, calls } = readParts(candidate.content?.parts, responseId, 0);
    this.remember(calls);
    const usage = convertGoogleUsage(response.usageMetadata);
    const result: { -readonly [K in keyof ChatResponse]: ChatResponse[K] } = {
      model: str(response.modelVersion) ?? this.modelId,
      provider: 'google',
      content: text,
      toolCalls: calls.map((c) => c.call),
      finishReason: mapGoogleFinishReason(rawFinish, calls.length > 0),
      usage,
      costUsd: calculateCost(this.pricing, usage),
      latencyMs: 0,
      warnings,
    };
    if (responseId !== undefined) result.id = responseId;
    if (rawFinish !== undefined) result.rawFinishReason = rawFinish;
    result.latencyMs = performance.now() - started;
    return result;
  }

  override async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    const trace = new CallTrace();
    const call = timedCallScope(options, this.constraints.timeoutMs);
    const signal = call.signal;
    const errorContext = { model: this.modelId, apiKey: this.apiKey, signal, trace };
    try {
      let prepared: GeminiRequest;
      let iterator: AsyncGenerator<GenerateContentResponse>;
      try {
        prepared = this.prepare(request);
        iterator = await this.getClient().models.generateContentStream({
          model: this.modelId,
          contents: prepared.contents,
          config: this.perCall(prepared.config, options, signal, trace),
        });
      } catch (error) {
        yield { type: 'error', error: toGoogleError(error, errorContext) };
        return;
      }
      const state = new GeminiStreamState({
        model: this.modelId,
        pricing: this.pricing,
        warnings: prepared.warnings,
        remember: (calls) => this.remember(calls),
      });
      try {
        for await (const chunk of iterator) {
          for (const out of state.push(chunk)) {
            yield out;
            if (out.type === 'error') return;
          }
        }
      } catch (error) {
        yield { type: 'error', error: toGoogleError(error, errorContext) };
        return;
      }
      yield state.end();
    } finally {
      // Whatever ended the stream (a consumer that stopped early, an error), the connection
      // closes rather than letting the answer run on; after a complete body this is a no-op.
      trace.discard();
      call.dispose();
    }
  }

  override async embed(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    if (!this.supports('embeddings')) throw new UnsupportedFeatureError(this.name, 'embeddings');
    const started = performance.now();
    const inputs = typeof request.input === 'string' ? [request.input] : [...request.input];
    const inputTokens = inputs.reduce((sum, text) => sum + estimateTextTokens(text), 0);
    const result = (embeddings: number[][]): EmbeddingResponse => ({
      model: this.modelId,
      provider: 'google',
      embeddings,
      usage: { inputTokens },
      costUsd: calculateCost(this.pricing, { inputTokens }),
      latencyMs: performance.now() - started,
    });
    if (inputs.length === 0) return result([]);
    const config: EmbedContentConfig = parseGoogleEmbeddingOptions(
      request.providerOptions?.google,
      this.modelId,
    );
    if (request.dimensions !== undefined) config.outputDimensionality = request.dimensions;
    const trace = new CallTrace();
    const call = timedCallScope(options, this.constraints.timeoutMs);
    const signal = call.signal;
    let embeddings: number[][];
    try {
      const response = await this.getClient().models.embedContent({
        model: this.modelId,
        // Content objects, not strings: the SDK would merge bare strings into one content for some models.
        contents: inputs.map((text) => ({ role: 'user', parts: [{ text }] })),
        config: this.perCall(config, options, signal, trace),
      });
      embeddings = Array.isArray(response.embeddings)
        ? response.embeddings.map((e) => (Array.isArray(e?.values) ? e.values : []))
        : [];
    } catch (error) {
      throw toGoogleError(error, { model: this.modelId, apiKey: this.apiKey, signal, trace });
    } finally {
      call.dispose();
    }
    const wellFormed = (v: number[]) =>
      v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (embeddings.length !== inputs.length || !embeddings.every(wellFormed)) {
      throw new InvalidResponseError(
        `google (${this.modelId}): expected ${inputs.length} vectors of numbers, got ${embeddings.length} that are not all well-formed.`,
        { provider: 'google', model: this.modelId },
      );
    }
    return result(embeddings);
  }

  /** Reads the model's metadata (`GET models/{model}`): cheap, and proves key and model are good. */
  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const started = performance.now();
    const trace = new CallTrace();
    const combined = callSignal(
      signal ? { signal } : undefined,
      this.constraints.timeoutMs ?? 10_000,
    );
    try {
      await this.getClient().models.get({
        model: this.modelId,
        config: this.perCall({}, undefined, combined, trace),
      });
      return { healthy: true, latencyMs: performance.now() - started };
    } catch (error) {
      const failure = toGoogleError(error, {
        model: this.modelId,
        apiKey: this.apiKey,
        signal: combined,
        trace,
      });
      return { healthy: false, latencyMs: performance.now() - started, message: failure.message };
    }
  }

  private prepare(request: ChatRequest): GeminiRequest {
    if (!this.supports('chat') && !this.supports('text_generation')) {
      throw new UnsupportedFeatureError(this.name, 'chat');
    }
    return convertToGeminiRequest(request, {
      model: this.modelId,
      traits: this.traits,
      signatureOf: (id) => this.signatures.get(id),
    });
  }

  /** Adds the per-call SDK options to `config`: the signal, a tracing fetch, the call's headers. */
  private perCall<T extends Pick<GenerateContentConfig, 'abortSignal' | 'httpOptions'>>(
    config: T,
    options: CallOptions | undefined,
    signal: AbortSignal | undefined,
    trace: CallTrace,
  ): T {
    const httpOptions: HttpOptions = { fetch: trace.wrap(this.baseFetch) };
    if (options?.headers !== undefined) httpOptions.headers = { ...options.headers };
    config.httpOptions = httpOptions;
    if (signal !== undefined) config.abortSignal = signal;
    return config;
  }

  private remember(calls: readonly MappedToolCall[]): void {
    for (const { call, signature } of calls) {
      if (signature === undefined) continue;
      this.signatures.set(call.id, signature);
      if (this.signatures.size > SIGNATURE_CACHE_SIZE) {
        const oldest = this.signatures.keys().next().value;
        if (oldest !== undefined) this.signatures.delete(oldest);
      }
    }
  }

  private getClient(): GoogleGenAI {
    if (this.client) return this.client;
    if (!this.apiKey) {
      throw new AuthenticationError(
        'google: no API key; pass `apiKey` or set GEMINI_API_KEY (or GOOGLE_API_KEY).',
        { provider: 'google', model: this.modelId },
      );
    }
    this.client = new GoogleGenAI({
      apiKey: this.apiKey,
      ...(this.apiVersion === undefined ? {} : { apiVersion: this.apiVersion }),
      httpOptions: {
        ...(this.baseURL === undefined ? {} : { baseUrl: this.baseURL }),
        ...(this.headers === undefined ? {} : { headers: { ...this.headers } }),
      },
    });
    return this.client;
  }
}

/** Shorthand for `new GoogleModel({ model, ...settings })`. */
export function createGoogleModel(
  model: GoogleModelId,
  settings: Omit<GoogleModelSettings, 'model'> = {},
): GoogleModel {
  return new GoogleModel({ ...settings, model });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
