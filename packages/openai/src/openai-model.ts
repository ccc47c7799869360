import type { Warning } from '@orchestrator/core';
import {
  AbortedError,
  AuthenticationError,
  type CallOptions,
  type CallScope,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  calculateCost,
  callScope,
  callSignal,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type HealthCheckResult,
  type ImageGenerationRequest,
  type ImageGenerationResponse,
  InvalidResponseError,
  Model,
  type OrchestratorError,
  signalOwnedByCall,
  type TranscriptionRequest,
  type TranscriptionResponse,
  UnsupportedFeatureError,
  type Usage,
} from '@orchestrator/core';
import type OpenAI from 'openai';
import { buildOpenAIChatParams, type OpenAIChatParams } from './build-openai-chat-params.js';
import { mapOpenAIError } from './map-openai-error.js';
import {
  getOpenAIModelSpec,
  type OpenAIModelId,
  type OpenAIModelSpec,
} from './openai-capabilities.js';
import { OpenAIChatStreamReader, OpenAIStreamMapper } from './openai-chat-stream.js';
import {
  createEmbeddings,
  generateImages,
  type MediaContext,
  type SdkRequestOptions,
  transcribeAudio,
} from './openai-media-calls.js';
import {
  createOpenAIClient,
  OPENAI_DEFAULT_BASE_URL,
  type OpenAICompatibility,
  type OpenAIModelSettings,
  type OpenAIProtocol,
} from './openai-settings.js';
import { parseOpenAICompletion } from './parse-openai-completion.js';

/** OpenAI itself: Bearer key from `OPENAI_API_KEY`, base URL from `OPENAI_BASE_URL`. */
export const OPENAI_PROTOCOL: OpenAIProtocol = Object.freeze({
  provider: 'openai',
  apiKeyEnv: ['OPENAI_API_KEY'],
  baseURLEnv: ['OPENAI_BASE_URL'],
  defaultBaseURL: OPENAI_DEFAULT_BASE_URL,
  authHeader: 'bearer',
  // Local and self-hosted OpenAI-compatible servers usually need no key.
  requiresApiKey: (baseURL: string) => /(^|\.)openai\.com$/i.test(hostOf(baseURL)),
  missingKeyHint: 'pass `apiKey` or set OPENAI_API_KEY',
  specOf: getOpenAIModelSpec,
  providerOptionKeys: ['openai'],
  sendOrganization: true,
});

const HEALTH_TIMEOUT_MS = 10_000;
/** The longest delay a Node timer holds (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How one call is bounded: what the SDK is given, and the signal errors are read against. */
interface CallBounds {
  readonly signal: AbortSignal | undefined;
  readonly requestOptions: SdkRequestOptions;
  /** Clears the call's timer and its listener on the caller's signal. */
  dispose(): void;
}

const NO_SCOPE = (): void => undefined;

/**
 * A model served over the OpenAI Chat Completions API with the official
 * `openai` SDK: OpenAI itself, or any OpenAI-compatible server via `baseURL`
 * (vLLM, LM Studio, Ollama, Together…; use `compatibility: 'compatible'`).
 */
export class OpenAIModel extends Model {
  /** The model id sent to the API. */
  readonly modelId: string;
  readonly baseURL: string;
  readonly compatibility: OpenAICompatibility;
  // Private fields stay out of inspection and serialization: the client holds the key.
  readonly #client: OpenAI;
  readonly #apiKey: string | undefined;
  readonly #protocol: OpenAIProtocol;
  readonly #spec: OpenAIModelSpec;
  /** Whether the SDK's own per-request timer covers a whole plain call (see `callBounds`). */
  readonly #sdkTimerCoversCall: boolean;

  constructor(
    modelId: OpenAIModelId,
    settings: OpenAIModelSettings = {},
    protocol: OpenAIProtocol = OPENAI_PROTOCOL,
  ) {
    if (typeof modelId !== 'string' || modelId.trim() === '')
      throw new TypeError('OpenAIModel: a model id is required');
    const spec = protocol.specOf(modelId);
    super({
      name: settings.name ?? modelId,
      provider: settings.provider ?? protocol.provider,
      capabilities: { ...spec.capabilities, ...settings.capabilities },
      pricing: settings.pricing ?? spec.pricing,
      constraints: {
        ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
        ...settings.constraints,
      },
    });
    const keys = [...protocol.providerOptionKeys];
    if (!keys.includes(this.provider)) keys.push(this.provider);
    this.#protocol = { ...protocol, providerOptionKeys: keys };
    this.#spec = { ...spec, capabilities: this.capabilities };
    this.modelId = modelId;
    this.compatibility = settings.compatibility ?? 'strict';
    const { client, config } = createOpenAIClient(settings, protocol);
    this.#client = client;
    this.#sdkTimerCoversCall = settings.fetch === undefined;
    this.#apiKey = config.apiKey;
    this.baseURL = config.baseURL;
  }

  /** The SDK client, for subclasses. */
  protected get client(): OpenAI {
    return this.#client;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const started = performance.now();
    const { params, warnings } = this.buildChatParams(request);
    const call = this.callBounds(options, true);
    let body: unknown;
    try {
      this.assertApiKey();
      // `params` is this call's own object: set `stream` on it rather than copy it
      // (`{ ...params, stream }` takes V8's slow literal path on Node 20).
      (params as OpenAIChatParams & { stream?: boolean }).stream = false;
      // The SDK sends the request and turns an error status into its APIError; the
      // body is read here (readCompletionBody) rather than by the SDK's parse step,
      // which adds two async frames, a non-enumerable `_request_id` and a debug-log
      // record built even with logging off, on every call.
      const response = await this.#client.chat.completions
        .create(params as OpenAIChatParams & { stream: false }, call.requestOptions)
        .asResponse();
      body = await readCompletionBody(response);
    } catch (error) {
      throw this.mapError(error, call.signal);
    } finally {
      call.dispose();
    }
    const parsed = parseOpenAICompletion(body, warnings);
    if (!parsed) throw this.invalidResponse('the response is not a chat completion');
    // Optional fields set one by one (conditional spreads are V8's slow literal path).
    const response: { -readonly [K in keyof ChatResponse]: ChatResponse[K] } = {
      model: parsed.model ?? this.modelId,
      provider: this.provider,
      content: parsed.content,
      toolCalls: parsed.toolCalls,
      finishReason: parsed.finishReason,
      usage: parsed.usage,
      costUsd: this.cost(parsed.usage),
      latencyMs: performance.now() - started,
      warnings,
    };
    if (parsed.id !== undefined) response.id = parsed.id;
    if (parsed.rawFinishReason !== undefined) response.rawFinishReason = parsed.rawFinishReason;
    return response;
  }

  override async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    const { params, warnings } = this.buildChatParams(request);
    const call = this.callBounds(options, false);
    const signal = call.signal;
    let response: Response;
    try {
      this.assertApiKey();
      // The SDK sends the request and turns an error status into its APIError;
      // the event stream is read by OpenAIChatStreamReader (the SDK Stream's
      // events and errors, at a fraction of its cost per event).
      response = await this.#client.chat.completions
        .create(
          {
            ...params,
            stream: true,
            ...(this.compatibility === 'strict' ? { stream_options: { include_usage: true } } : {}),
          },
          call.requestOptions,
        )
        .asResponse();
    } catch (error) {
      call.dispose();
      yield { type: 'error', error: this.mapError(error, signal) };
      return;
    }
    const mapper = new OpenAIStreamMapper({
      provider: this.provider,
      model: this.modelId,
      warnings,
      cost: (usage) => this.cost(usage),
    });
    const upstream = new OpenAIChatStreamReader(response, mapper);
    const out: ChatChunk[] = [];
    let settled = false;
    try {
      try {
        while (await upstream.read(out)) {
          for (const mapped of out) yield mapped;
          out.length = 0;
        }
      } catch (error) {
        settled = true;
        yield { type: 'error', error: this.mapError(error, signal) };
        return;
      }
      settled = true;
      // A body that ends quietly when the call is aborted is no finish.
      if (signal?.aborted) {
        yield { type: 'error', error: this.mapError(new AbortedError(), signal) };
        return;
      }
      yield mapper.end();
    } finally {
      // A consumer that stops early must not leave the upstream request running.
      if (!settled) upstream.cancel();
      call.dispose();
    }
  }

  override async embed(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    return this.media('embeddings', options, (context) => createEmbeddings(request, context));
  }

  override async generateImage(
    request: ImageGenerationRequest,
    options?: CallOptions,
  ): Promise<ImageGenerationResponse> {
    return this.media('image_generation', options, (context) => generateImages(request, context));
  }

  override async transcribe(
    request: TranscriptionRequest,
    options?: CallOptions,
  ): Promise<TranscriptionResponse> {
    return this.media('audio_transcription', options, (context) =>
      transcribeAudio(request, 'transcribe', context),
    );
  }

  override async translate(
    request: TranscriptionRequest,
    options?: CallOptions,
  ): Promise<TranscriptionResponse> {
    return this.media('audio_translation', options, (context) =>
      transcribeAudio(request, 'translate', context),
    );
  }

  /** Asks the API about this model (cheap: no generation). Never throws. */
  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const started = performance.now();
    const callSig = callSignal(
      signal ? { signal } : undefined,
      this.constraints.timeoutMs ?? HEALTH_TIMEOUT_MS,
    );
    try {
      this.assertApiKey();
      const message = await this.probeHealth(this.requestOptions(callSig, undefined));
      const latencyMs = performance.now() - started;
      return message === undefined
        ? { healthy: true, latencyMs }
        : { healthy: false, latencyMs, message };
    } catch (error) {
      return {
        healthy: false,
        latencyMs: performance.now() - started,
        message: this.mapError(error, callSig).message,
      };
    }
  }

  /**
   * The health probe: retrieve the model (OpenAI), or list the models and
   * look for it (compatible servers, which often lack the retrieve route).
   * Returns a reason when unhealthy; throws on transport errors.
   */
  protected async probeHealth(requestOptions: SdkRequestOptions): Promise<string | undefined> {
    if (this.compatibility === 'strict') {
      await this.#client.models.retrieve(this.modelId, requestOptions);
      return undefined;
    }
    const page = await this.#client.models.list(requestOptions);
    const ids = Array.isArray(page.data) ? page.data.map((m) => m.id) : [];
    return ids.length === 0 || ids.includes(this.modelId)
      ? undefined
      : `model ${this.modelId} is not served here`;
  }

  /** The Chat Completions body for a request, with warnings for what was dropped. */
  protected buildChatParams(request: ChatRequest): {
    params: OpenAIChatParams;
    warnings: Warning[];
  } {
    return buildOpenAIChatParams(request, {
      modelId: this.modelId,
      spec: this.#spec,
      compatibility: this.compatibility,
      providerOptionKeys: this.#protocol.providerOptionKeys,
    });
  }

  /** Maps anything the SDK threw to a classified, redacted error. */
  protected mapError(error: unknown, signal: AbortSignal | undefined): OrchestratorError {
    return mapOpenAIError(error, {
      provider: this.provider,
      model: this.modelId,
      secrets: [this.#apiKey],
      signal,
    });
  }

  /**
   * How one call is bounded by the caller's signal and its timeout, at the
   * least cost per call:
   * - no timeout and no caller signal: nothing;
   * - a timeout, no caller signal, and a plain call on the default transport:
   *   the SDK's own per-request timer (it arms one on a controller of its own
   *   anyway), which covers the whole call because the default transport reads
   *   a JSON body before its fetch resolves — no controller or timer of ours;
   * - an engine attempt's signal (`signalOwnedByCall`): that signal, as it is;
   * - otherwise one controller, one timer and one listener (`callScope`),
   *   cleared when the call ends, instead of `AbortSignal.timeout` (whose timer
   *   outlives the call) joined by `AbortSignal.any`.
   */
  protected callBounds(options: CallOptions | undefined, plain: boolean): CallBounds {
    const timeoutMs = options?.timeoutMs ?? this.constraints.timeoutMs;
    const caller = options?.signal;
    const noTimeout = timeoutMs === undefined || !Number.isFinite(timeoutMs) || timeoutMs <= 0;
    // Never the caller's own signal to the SDK: it adds a once-listener to the
    // signal it is given and never removes it, so a long-lived signal (one per
    // batch, per session) would gather one listener per call. A scope's
    // controller is the call's own, and dispose() detaches it from the caller.
    if (noTimeout && caller === undefined) {
      return {
        signal: undefined,
        requestOptions: this.requestOptions(undefined, options),
        dispose: NO_SCOPE,
      };
    }
    if (
      !noTimeout &&
      caller === undefined &&
      plain &&
      this.#sdkTimerCoversCall &&
      (timeoutMs as number) <= MAX_TIMER_MS
    ) {
      return {
        signal: undefined,
        requestOptions: this.requestOptions(undefined, options, Math.ceil(timeoutMs as number)),
        dispose: NO_SCOPE,
      };
    }
    // An engine attempt's signal is the call's own and already bounded by the
    // attempt's limit (which includes this model's timeout): the SDK may have it
    // (its leftover listener goes with the attempt), no scope of ours on top.
    if (caller !== undefined && options?.timeoutMs === undefined && signalOwnedByCall(options)) {
      return {
        signal: caller,
        requestOptions: this.requestOptions(caller, options),
        dispose: NO_SCOPE,
      };
    }
    const scope: CallScope = callScope(options, this.constraints.timeoutMs);
    return {
      signal: scope.signal,
      requestOptions: this.requestOptions(scope.signal, options),
      dispose: scope.dispose,
    };
  }

  protected requestOptions(
    signal: AbortSignal | undefined,
    options: CallOptions | undefined,
    sdkDeadlineMs?: number,
  ): SdkRequestOptions {
    // Unless the SDK's timer is the call's deadline (`sdkDeadlineMs`), the call's
    // own signal enforces its timeout, and the SDK's (10 min by default) must
    // never cut a longer one short.
    const timeoutMs = options?.timeoutMs ?? this.constraints.timeoutMs;
    // Set one by one: conditional spreads take V8's slow literal path on Node 20.
    const out: { -readonly [K in keyof SdkRequestOptions]: SdkRequestOptions[K] } = {
      maxRetries: 0,
    };
    if (signal !== undefined) out.signal = signal;
    if (sdkDeadlineMs !== undefined) out.timeout = sdkDeadlineMs;
    else if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0)
      out.timeout = Math.ceil(timeoutMs) + 1_000;
    if (options?.headers !== undefined) out.headers = { ...options.headers };
    return out;
  }

  private cost(usage: Usage): number {
    return calculateCost(this.pricing, usage);
  }

  private assertApiKey(): void {
    if (this.#apiKey || !this.#protocol.requiresApiKey(this.baseURL)) return;
    throw new AuthenticationError(
      `${this.provider} (${this.modelId}): no API key; ${this.#protocol.missingKeyHint}`,
      {
        provider: this.provider,
        model: this.modelId,
      },
    );
  }

  private invalidResponse(what: string): InvalidResponseError {
    return new InvalidResponseError(`${this.provider} (${this.modelId}): ${what}`, {
      provider: this.provider,
      model: this.modelId,
    });
  }

  private async media<T extends { latencyMs: number }>(
    feature: 'embeddings' | 'image_generation' | 'audio_transcription' | 'audio_translation',
    options: CallOptions | undefined,
    run: (context: MediaContext) => Promise<Omit<T, 'latencyMs'>>,
  ): Promise<T> {
    if (!this.supports(feature)) throw new UnsupportedFeatureError(this.name, feature);
    const started = performance.now();
    // Media answers can be large (images, audio) and arrive as a stream: bounded by a signal.
    const call = this.callBounds(options, false);
    try {
      this.assertApiKey();
      const result = await run({
        client: this.#client,
        modelId: this.modelId,
        provider: this.provider,
        pricing: this.pricing,
        compatibility: this.compatibility,
        requestOptions: call.requestOptions,
      });
      return { ...result, latencyMs: performance.now() - started } as T;
    } catch (error) {
      throw this.mapError(error, call.signal);
    } finally {
      call.dispose();
    }
  }
}

/**
 * A plain (non-streamed) answer's body, read as the SDK's own parse step reads
 * it: nothing for a 204 or an empty JSON body, JSON for a JSON media type
 * (`application/json`, `…+json`), text otherwise (which is then no completion).
 */
export async function readCompletionBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) {
    if (response.headers.get('content-length') === '0') return undefined;
    return response.json();
  }
  return response.text();
}

/** Creates an OpenAIModel: `createOpenAIModel('gpt-4o-mini')`. */
export function createOpenAIModel(
  modelId: OpenAIModelId,
  settings: OpenAIModelSettings = {},
): OpenAIModel {
  return new OpenAIModel(modelId, settings);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
