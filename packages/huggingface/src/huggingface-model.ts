import { InferenceClient, type Options } from '@huggingface/inference';
import {
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  calculateCost,
  callScope,
  type EmbeddingRequest,
  type EmbeddingResponse,
  estimateRequestTokens,
  estimateTextTokens,
  type HealthCheckResult,
  InvalidResponseError,
  Model,
  UnsupportedFeatureError,
  type Usage,
  type Warning,
} from '@orchestrator/core';
import { defaultTransportFetch } from '@orchestrator/transport';
import {
  type HuggingFaceModelId,
  type HuggingFaceTask,
  isKnownHuggingFaceModel,
} from './huggingface-capabilities.js';
import { HuggingFaceChunkStream } from './huggingface-chunk-stream.js';
import { toVectors } from './huggingface-embeddings.js';
import {
  type ErrorContext,
  type ExchangeCapture,
  mapHuggingFaceError,
  PROVIDER,
} from './huggingface-error.js';
import {
  callFetch,
  type FetchFunction,
  HF_HUB_URL,
  mergeHeaders,
  trimSlashes,
  type UrlRewrite,
} from './huggingface-fetch.js';
import { checkHuggingFaceHealth } from './huggingface-health.js';
import {
  envKey,
  HEALTH_TIMEOUT_MS,
  type HuggingFaceModelSettings,
  type HuggingFaceProvider,
  huggingFaceModelConfig,
} from './huggingface-settings.js';
import { HuggingFaceStreamState } from './huggingface-stream.js';
import { mapTextGenerationRequest, readCompletion } from './huggingface-text-generation.js';
import {
  type FeatureGate,
  mapChatRequest,
  readProviderOptions,
} from './map-huggingface-request.js';
import {
  mapFinishReason,
  type ParsedReply,
  readChatCompletion,
} from './map-huggingface-response.js';

type ChatArgs = Parameters<InferenceClient['chatCompletion']>[0];
type TextArgs = Parameters<InferenceClient['textGeneration']>[0];
type FeatureArgs = Parameters<InferenceClient['featureExtraction']>[0];

/** A Hugging Face model over `@huggingface/inference`: Inference Providers or a dedicated endpoint. */
export class HuggingFaceModel extends Model {
  readonly modelId: string;
  readonly task: HuggingFaceTask;
  readonly endpointUrl: string | undefined;
  /** The routing policy or provider; undefined for a dedicated endpoint. */
  readonly routing: HuggingFaceProvider | undefined;
  private readonly client: InferenceClient;
  private readonly apiKey: string | undefined;
  private readonly baseFetch: FetchFunction;
  private readonly headers: Readonly<Record<string, string>> | undefined;
  private readonly urls: UrlRewrite | undefined;
  private readonly hubUrl: string;
  private readonly billTo: string | undefined;
  private readonly gate: FeatureGate;
  /** The token and any credential-like configured header values, redacted from every error. */
  private readonly secrets: readonly string[];

  constructor(settings: HuggingFaceModelSettings) {
    const { config, task } = huggingFaceModelConfig(settings);
    super(config);
    this.modelId = settings.model;
    this.task = task;
    this.endpointUrl = settings.endpointUrl ? trimSlashes(settings.endpointUrl) : undefined;
    this.routing = this.endpointUrl ? undefined : (settings.provider ?? 'auto');
    this.apiKey = settings.apiKey ?? envKey();
    this.baseFetch = settings.fetch ?? defaultTransportFetch;
    this.headers =
      settings.headers && Object.keys(settings.headers).length > 0 ? settings.headers : undefined;
    const router = settings.baseURL ? trimSlashes(settings.baseURL) : undefined;
    const hub = settings.hubURL ? trimSlashes(settings.hubURL) : undefined;
    this.urls = router || hub ? { router, hub } : undefined;
    this.hubUrl = hub ?? HF_HUB_URL;
    this.billTo = settings.billTo;
    const credentialHeaders = Object.entries(settings.headers ?? {})
      .filter(([name]) => /auth|key|token|secret/i.test(name))
      .map(([, value]) => value);
    this.secrets = [this.apiKey, ...credentialHeaders].filter((s): s is string => !!s);
    // Known ids (or ones described by the caller) drop what they cannot take, with a warning;
    // unknown ids get the benefit of the doubt.
    const strict =
      isKnownHuggingFaceModel(settings.model) || settings.capabilities?.features !== undefined;
    this.gate = {
      vision: !strict || this.supports('vision'),
      tools: !strict || this.supports('tool_calling'),
      json: !strict || this.supports('json_mode'),
    };
    this.client = new InferenceClient(this.apiKey ?? '', {
      retry_on_error: false,
      ...(this.endpointUrl ? { endpointUrl: this.endpointUrl } : {}),
    });
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const started = performance.now();
    const warnings: Warning[] = [];
    const scope = callScope(options, this.constraints.timeoutMs);
    const signal = scope.signal;
    const capture: ExchangeCapture = {};
    try {
      const po = readProviderOptions(request, this.name, warnings);
      if (this.task === 'embeddings') throw new UnsupportedFeatureError(this.name, 'chat');
      if (this.task === 'text-generation') {
        const args = mapTextGenerationRequest(request, po, warnings);
        const out = await this.client.textGeneration(
          this.args(args) as TextArgs,
          this.callOptions(signal, capture, options, po.billTo, true),
        );
        const raw: unknown = capture.body
          ? await capture.body.json().catch(() => undefined)
          : undefined;
        const reply = readCompletion(raw) ?? readCompletion(out);
        if (!reply) throw this.invalid('the text-generation reply has no generated text');
        return this.response(reply, request, warnings, started);
      }
      const body = mapChatRequest(request, this.gate, po, warnings);
      const out: unknown = await this.client.chatCompletion(
        this.args(body) as ChatArgs,
        this.callOptions(signal, capture, options, po.billTo),
      );
      const reply = readChatCompletion(out);
      if (!reply) throw this.invalid('the reply has no choices[0].message');
      return this.response(reply, request, warnings, started);
    } catch (error) {
      throw mapHuggingFaceError(error, this.errorContext(signal, options, capture));
    } finally {
      scope.dispose();
    }
  }

  override stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    return new HuggingFaceChunkStream(() => {
      const warnings: Warning[] = [];
      const capture: ExchangeCapture = {};
      // One signal for caller, timeout, and a consumer that stops reading early.
      const scope = callScope(options, this.constraints.timeoutMs);
      const signal = scope.signal;
      const state = new HuggingFaceStreamState();
      return {
        events: () => {
          const po = readProviderOptions(request, this.name, warnings);
          if (this.task === 'embeddings') throw new UnsupportedFeatureError(this.name, 'chat');
          const callOptions = this.callOptions(signal, capture, options, po.billTo);
          const streamOptions = { include_usage: true };
          return this.task === 'text-generation'
            ? this.client.textGenerationStream(
                Object.assign(this.args(mapTextGenerationRequest(request, po, warnings)), {
                  stream_options: streamOptions,
                }) as TextArgs,
                callOptions,
              )
            : this.client.chatCompletionStream(
                Object.assign(this.args(mapChatRequest(request, this.gate, po, warnings)), {
                  stream_options: streamOptions,
                }) as ChatArgs,
                callOptions,
              );
        },
        push: (event) => {
          const chunks = state.push(event);
          if (!chunks) throw this.invalid('a stream event was not a JSON object');
          return chunks;
        },
        error: (error) => ({
          type: 'error',
          error: mapHuggingFaceError(error, this.errorContext(signal, options, capture)),
        }),
        end: () => this.streamEnd(state, request, warnings),
        stop: () => scope.stop(),
        dispose: () => scope.dispose(),
      };
    });
  }

  /** The last chunk of a stream the server ended: `finish`, or an error when the model never finished. */
  private streamEnd(
    state: HuggingFaceStreamState,
    request: ChatRequest,
    warnings: Warning[],
  ): ChatChunk {
    if (state.rawFinishReason === undefined) {
      return {
        type: 'error',
        error: this.invalid('the stream ended before the model finished (no finish reason)'),
      };
    }
    const usage = state.usage ?? this.estimateUsage(request, state.outputChars, warnings);
    return {
      type: 'finish',
      finishReason: mapFinishReason(state.rawFinishReason),
      rawFinishReason: state.rawFinishReason,
      usage,
      costUsd: calculateCost(this.pricing, usage),
      warnings,
      ...(state.id === undefined ? {} : { id: state.id }),
      model: state.model ?? this.modelId,
    };
  }

  override async embed(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const started = performance.now();
    if (this.task !== 'embeddings' && !this.supports('embeddings'))
      throw new UnsupportedFeatureError(this.name, 'embeddings');
    const batched = typeof request.input !== 'string';
    const inputs = typeof request.input === 'string' ? request.input : [...request.input];
    const inputTokens = (batched ? (inputs as string[]) : [inputs as string]).reduce(
      (n, t) => n + estimateTextTokens(t),
      0,
    );
    const result = (embeddings: number[][]): EmbeddingResponse => ({
      model: this.modelId,
      provider: PROVIDER,
      embeddings,
      usage: { inputTokens },
      costUsd: calculateCost(this.pricing, { inputTokens }),
      latencyMs: performance.now() - started,
    });
    if (Array.isArray(inputs) && inputs.length === 0) return result([]);
    const scope = callScope(options, this.constraints.timeoutMs);
    const signal = scope.signal;
    const capture: ExchangeCapture = {};
    try {
      const warnings: Warning[] = [];
      const po = readProviderOptions(request, this.name, warnings);
      const args = {
        inputs,
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...po.extraBody,
      };
      const out: unknown = await this.client.featureExtraction(
        this.args(args) as FeatureArgs,
        this.callOptions(signal, capture, options, po.billTo),
      );
      const count = Array.isArray(inputs) ? inputs.length : 1;
      const vectors = toVectors(out, count, batched);
      if (!vectors) throw this.invalid(`expected ${count} embedding vector(s), got another shape`);
      return result(vectors);
    } catch (error) {
      throw mapHuggingFaceError(error, this.errorContext(signal, options, capture));
    } finally {
      scope.dispose();
    }
  }

  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const auth: Record<string, string> = this.apiKey
      ? { Authorization: `Bearer ${this.apiKey}` }
      : {};
    return checkHuggingFaceHealth(
      {
        fetch: this.baseFetch,
        model: this.modelId,
        endpointUrl: this.endpointUrl,
        hubUrl: this.hubUrl,
        provider: this.routing,
        headers: { ...auth, ...this.headers },
        secrets: this.secrets,
        timeoutMs: Math.min(this.constraints.timeoutMs ?? HEALTH_TIMEOUT_MS, HEALTH_TIMEOUT_MS),
      },
      signal,
    );
  }

  /** Adds the model and routing to a body this call built (so it can be filled in place). */
  private args<T extends object>(body: T): T & { model: string } {
    const out = body as T & { model: string; provider?: HuggingFaceProvider };
    out.model = this.modelId;
    if (this.routing !== undefined) out.provider = this.routing;
    return out;
  }

  private callOptions(
    signal: AbortSignal,
    capture: ExchangeCapture,
    options: CallOptions | undefined,
    billTo: string | undefined,
    keepBody = false,
  ): Options {
    const bill = billTo ?? this.billTo;
    return {
      retry_on_error: false,
      fetch: callFetch(
        this.baseFetch,
        capture,
        mergeHeaders(this.headers, options?.headers),
        this.urls,
        keepBody,
      ) as typeof fetch,
      signal,
      ...(bill ? { billTo: bill } : {}),
    };
  }

  private errorContext(
    signal: AbortSignal | undefined,
    options: CallOptions | undefined,
    capture: ExchangeCapture,
  ): ErrorContext {
    return {
      model: this.modelId,
      secrets: this.secrets,
      signal,
      callerSignal: options?.signal,
      timeoutMs: options?.timeoutMs ?? this.constraints.timeoutMs,
      capture,
    };
  }

  private invalid(message: string): InvalidResponseError {
    return new InvalidResponseError(`${PROVIDER} (${this.modelId}): ${message}`, {
      provider: PROVIDER,
      model: this.modelId,
    });
  }

  /** Counts when the provider reported none, so costs and budgets are not silently zero. */
  private estimateUsage(request: ChatRequest, outputChars: number, warnings: Warning[]): Usage {
    warnings.push({
      type: 'other',
      message: 'The provider reported no token usage; the counts are estimates.',
    });
    const inputTokens = estimateRequestTokens(request);
    const outputTokens = Math.ceil(outputChars / 4);
    return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  }

  private response(
    reply: ParsedReply,
    request: ChatRequest,
    warnings: Warning[],
    started: number,
  ): ChatResponse {
    const { content, toolCalls, rawFinishReason, usage: reported } = reply;
    const chars =
      content.length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
    const usage =
      reported?.inputTokens !== undefined && reported.outputTokens !== undefined
        ? reported
        : { ...this.estimateUsage(request, chars, warnings), ...reported };
    const fallback = toolCalls.length > 0 ? 'tool_calls' : 'other';
    return {
      ...(reply.id === undefined ? {} : { id: reply.id }),
      model: reply.model ?? this.modelId,
      provider: PROVIDER,
      content,
      toolCalls,
      finishReason: rawFinishReason === undefined ? fallback : mapFinishReason(rawFinishReason),
      ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
      usage,
      costUsd: calculateCost(this.pricing, usage),
      latencyMs: performance.now() - started,
      warnings,
    };
  }
}

/** Creates a HuggingFaceModel: `huggingface('meta-llama/Llama-3.3-70B-Instruct')`. */
export function huggingface(
  model: HuggingFaceModelId,
  settings: Omit<HuggingFaceModelSettings, 'model'> = {},
): HuggingFaceModel {
  return new HuggingFaceModel({ ...settings, model });
}
