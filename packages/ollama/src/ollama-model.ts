import {
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  calculateCost,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type HealthCheckResult,
  InvalidRequestError,
  InvalidResponseError,
  Model,
  type ModelCapabilities,
  timedCallScope,
  type Warning,
} from '@orchestrator/core';
import { defaultTransportFetch } from '@orchestrator/transport';
import { Ollama, type Options } from 'ollama';
import { mapOllamaChatRequest, type RequestDefaults } from './map-ollama-request.js';
import {
  convertOllamaUsage,
  mapOllamaFinishReason,
  mapOllamaToolCall,
  readOllamaChatPart,
} from './map-ollama-response.js';
import {
  getOllamaCapabilities,
  OLLAMA_DEFAULT_NUM_CTX,
  OLLAMA_PRICING,
  type OllamaModelId,
} from './ollama-capabilities.js';
import { mapOllamaError, type OllamaCallContext, PROVIDER } from './ollama-error.js';
import { createCallFetch } from './ollama-fetch.js';
import { parseOllamaProviderOptions } from './ollama-provider-options.js';
import {
  type OllamaModelSettings,
  type ResolvedConnection,
  resolveOllamaConnection,
} from './ollama-settings.js';
import { OllamaChatStream } from './stream-ollama-chat.js';

/** `llama3.2` and `llama3.2:latest` name the same model. */
export function sameOllamaModel(a: string, b: string): boolean {
  const full = (name: string) => {
    const n = name.trim().toLowerCase();
    return n.slice(n.lastIndexOf('/') + 1).includes(':') ? n : `${n}:latest`;
  };
  return full(a) === full(b);
}

function effectiveCapabilities(
  id: string,
  settings: OllamaModelSettings,
  hosted: boolean,
): ModelCapabilities {
  const caps = getOllamaCapabilities(id);
  // A local server cuts prompts at num_ctx; report the window it really serves.
  const served = settings.numCtx ?? (hosted ? caps.contextWindow : OLLAMA_DEFAULT_NUM_CTX);
  const contextWindow = Math.min(caps.contextWindow, served);
  return {
    ...caps,
    contextWindow,
    maxOutputTokens: Math.min(caps.maxOutputTokens, contextWindow),
    ...settings.capabilities,
  };
}

/**
 * A model served by Ollama (local, remote, or hosted at ollama.com), over
 * the official `ollama` SDK. Prices are zero unless configured.
 */
export class OllamaModel extends Model {
  /** The Ollama model id, such as `llama3.1:8b`. */
  readonly modelId: string;
  protected readonly connection: ResolvedConnection;
  protected readonly defaults: RequestDefaults;
  private readonly fetchImpl: typeof fetch | undefined;

  constructor(modelId: OllamaModelId, settings: OllamaModelSettings = {}) {
    if (typeof modelId !== 'string' || modelId.trim() === '') {
      throw new InvalidRequestError('ollama: the model id must be a non-empty string', {
        provider: PROVIDER,
      });
    }
    const connection = resolveOllamaConnection(settings);
    const timeoutMs = settings.timeoutMs ?? settings.constraints?.timeoutMs;
    super({
      name: settings.name ?? `ollama/${modelId}`,
      provider: PROVIDER,
      capabilities: effectiveCapabilities(modelId, settings, connection.hosted),
      constraints: { ...settings.constraints, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
      pricing: settings.pricing ?? OLLAMA_PRICING,
    });
    this.modelId = modelId.trim();
    this.connection = connection;
    this.defaults = { numCtx: settings.numCtx, keepAlive: settings.keepAlive };
    this.fetchImpl = settings.fetch;
  }

  /** What one call needs: its signal joined with the timeout, and a context for its errors. */
  protected callContext(
    signal: AbortSignal | undefined,
    stream: boolean,
    action?: string,
  ): OllamaCallContext {
    return {
      model: this.modelId,
      host: this.connection.displayHost,
      secrets: this.connection.secrets,
      signal,
      stream,
      responded: false,
      ...(action === undefined ? {} : { action }),
    };
  }

  /**
   * A client for one call. Its fetch carries this call's signal, so cancelling
   * it closes this request's connection and no other.
   */
  protected client(ctx: OllamaCallContext, headers?: Readonly<Record<string, string>>): Ollama {
    return new Ollama({
      host: this.connection.host,
      headers: headers ? { ...this.connection.headers, ...headers } : this.connection.headers,
      fetch: createCallFetch(this.fetchImpl ?? defaultTransportFetch, ctx),
    });
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const started = performance.now();
    const call = timedCallScope(options, this.constraints.timeoutMs);
    const ctx = this.callContext(call.signal, false);
    try {
      ctx.signal?.throwIfAborted();
      const { body, warnings } = mapOllamaChatRequest(this.modelId, request, this.defaults);
      const raw: unknown = await this.client(ctx, options?.headers).chat({
        ...body,
        stream: false,
      });
      return this.toChatResponse(raw, warnings, started);
    } catch (error) {
      throw mapOllamaError(error, ctx);
    } finally {
      call.dispose();
    }
  }

  private toChatResponse(raw: unknown, warnings: Warning[], started: number): ChatResponse {
    const part = readOllamaChatPart(raw);
    if (!part) {
      throw new InvalidResponseError(
        `ollama (${this.modelId}): the response is not an Ollama chat message`,
        {
          provider: PROVIDER,
          model: this.modelId,
        },
      );
    }
    const toolCalls = part.toolCalls.map(mapOllamaToolCall);
    const usage = convertOllamaUsage(part.fields);
    const rawFinishReason =
      typeof part.fields.done_reason === 'string' ? part.fields.done_reason : undefined;
    return {
      model: part.model ?? this.modelId,
      provider: PROVIDER,
      content: part.content,
      toolCalls,
      finishReason: mapOllamaFinishReason(rawFinishReason, toolCalls.length > 0),
      ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
      usage,
      costUsd: calculateCost(this.pricing, usage),
      latencyMs: performance.now() - started,
      warnings,
    };
  }

  /** Streams the answer; a failure, before or after the first text, ends it with one `error` chunk. */
  override stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    const call = timedCallScope(options, this.constraints.timeoutMs);
    const ctx = this.callContext(call.signal, true);
    try {
      const mapped = mapOllamaChatRequest(this.modelId, request, this.defaults);
      return new OllamaChatStream({
        ctx,
        mapped,
        client: this.client(ctx, options?.headers),
        pricing: this.pricing,
        dispose: call.dispose,
      });
    } catch (error) {
      return new OllamaChatStream({
        ctx,
        failure: error,
        pricing: this.pricing,
        dispose: call.dispose,
      });
    }
  }

  override async embed(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const started = performance.now();
    const call = timedCallScope(options, this.constraints.timeoutMs);
    const ctx = this.callContext(call.signal, false);
    try {
      ctx.signal?.throwIfAborted();
      const inputs = typeof request.input === 'string' ? [request.input] : [...request.input];
      const provider = parseOllamaProviderOptions(request.providerOptions?.ollama, []);
      const keepAlive = provider.keep_alive ?? this.defaults.keepAlive;
      const raw: unknown = await this.client(ctx, options?.headers).embed({
        model: this.modelId,
        input: typeof request.input === 'string' ? request.input : inputs,
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...(provider.truncate === undefined ? {} : { truncate: provider.truncate }),
        ...(keepAlive === undefined ? {} : { keep_alive: keepAlive }),
        ...(provider.options ? { options: provider.options as Partial<Options> } : {}),
      });
      const body = raw as {
        model?: unknown;
        embeddings?: unknown;
        prompt_eval_count?: unknown;
      } | null;
      const embeddings = body?.embeddings;
      if (
        !Array.isArray(embeddings) ||
        embeddings.length !== inputs.length ||
        !embeddings.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'))
      ) {
        throw new InvalidResponseError(
          `ollama (${this.modelId}): the embed response has no vector for every input`,
          {
            provider: PROVIDER,
            model: this.modelId,
          },
        );
      }
      const inputTokens =
        typeof body?.prompt_eval_count === 'number' ? body.prompt_eval_count : undefined;
      const usage = inputTokens === undefined ? {} : { inputTokens };
      return {
        model: typeof body?.model === 'string' ? body.model : this.modelId,
        provider: PROVIDER,
        embeddings: embeddings as number[][],
        usage,
        costUsd: calculateCost(this.pricing, usage),
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      throw mapOllamaError(error, ctx);
    } finally {
      call.dispose();
    }
  }

  /** Lists the server's models (`/api/tags`): healthy when the server answers and has this model. */
  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const started = performance.now();
    const ctx = this.callContext(signal, false);
    try {
      const list: unknown = await this.client(ctx).list();
      const models = (list as { models?: unknown } | null)?.models;
      if (!Array.isArray(models))
        throw new InvalidResponseError('ollama: /api/tags did not list models', {
          provider: PROVIDER,
        });
      const installed = models.some(
        (m) => typeof m?.name === 'string' && sameOllamaModel(m.name, this.modelId),
      );
      return {
        healthy: installed,
        latencyMs: performance.now() - started,
        ...(installed
          ? {}
          : {
              message: `ollama: model '${this.modelId}' is not installed on ${this.connection.displayHost}`,
            }),
      };
    } catch (error) {
      return {
        healthy: false,
        latencyMs: performance.now() - started,
        message: mapOllamaError(error, ctx).message,
      };
    }
  }
}

/** Creates an `OllamaModel`. */
export function createOllamaModel(
  modelId: OllamaModelId,
  settings?: OllamaModelSettings,
): OllamaModel {
  return new OllamaModel(modelId, settings);
}
