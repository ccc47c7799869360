import Anthropic from '@anthropic-ai/sdk';
import {
  AuthenticationError,
  type CallOptions,
  type CallScope,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  callScope,
  type HealthCheckResult,
  Model,
  type ModelCapabilities,
  type ModelConstraints,
  type ModelPricing,
  redactSecrets,
} from '@orchestrator/core';
import { defaultTransportFetch } from '@orchestrator/transport';
import {
  type AnthropicModelId,
  getAnthropicCapabilities,
  getAnthropicPricing,
} from './anthropic-capabilities.js';
import { buildAnthropicRequest, toCountTokensParams } from './build-anthropic-request.js';
import { convertAnthropicResponse } from './convert-anthropic-response.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { StreamDeadline } from './stream-deadline.js';
import { transformAnthropicStream } from './transform-anthropic-stream.js';

export interface AnthropicModelSettings {
  /** The Anthropic model id, such as `claude-sonnet-4-5`. */
  readonly model: AnthropicModelId;
  /** Name in a registry; defaults to the model id. */
  readonly name?: string;
  /** API key; defaults to `ANTHROPIC_API_KEY`. */
  readonly apiKey?: string;
  /** Base URL of the API; defaults to `ANTHROPIC_BASE_URL`, else Anthropic's. */
  readonly baseURL?: string;
  /** Extra headers on every request (an `anthropic-beta` flag, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one call in ms, unless the call gives its own (default 10 minutes). */
  readonly timeoutMs?: number;
  /** The `fetch` the SDK sends with; default: `@orchestrator/transport`'s shared pool. */
  readonly fetch?: typeof globalThis.fetch;
  /** Overrides of the capabilities derived from the model id. */
  readonly capabilities?: Partial<ModelCapabilities>;
  /** Overrides of the price table. */
  readonly pricing?: ModelPricing;
  readonly constraints?: ModelConstraints;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
/** The longest delay a Node timer holds (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function readEnv(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name]?.trim();
  return value ? value : undefined;
}

/**
 * A Claude model behind the orchestrator's `Model` interface, over the
 * official `@anthropic-ai/sdk` with its retries off (core owns retrying).
 */
export class AnthropicModel extends Model {
  /** The Anthropic model id requests are sent with. */
  readonly modelId: string;
  private readonly client: Anthropic;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  /** Whether the SDK's own per-request timer covers a whole plain call (see `generate`). */
  private readonly sdkTimerCoversCall: boolean;

  constructor(settings: AnthropicModelSettings) {
    super({
      name: settings.name ?? settings.model,
      provider: 'anthropic',
      capabilities: { ...getAnthropicCapabilities(settings.model), ...settings.capabilities },
      pricing: settings.pricing ?? getAnthropicPricing(settings.model),
      ...(settings.constraints === undefined ? {} : { constraints: settings.constraints }),
    });
    this.modelId = settings.model;
    this.apiKey = settings.apiKey ?? readEnv('ANTHROPIC_API_KEY');
    this.timeoutMs = settings.timeoutMs ?? this.constraints.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sdkTimerCoversCall = settings.fetch === undefined;
    this.client = new Anthropic({
      // Without a key the SDK would search config files for credentials; a
      // placeholder keeps it from doing so, and calls fail before any request.
      apiKey: this.apiKey ?? 'missing',
      baseURL: settings.baseURL ?? readEnv('ANTHROPIC_BASE_URL') ?? 'https://api.anthropic.com',
      maxRetries: 0,
      // The SDK's own timer stays above ours, so a timeout is ours to report.
      timeout: Math.max(this.timeoutMs, DEFAULT_TIMEOUT_MS) + 1_000,
      logLevel: 'off',
      ...(settings.headers === undefined ? {} : { defaultHeaders: { ...settings.headers } }),
      fetch: settings.fetch ?? defaultTransportFetch,
    });
  }

  private requireKey(): void {
    if (this.apiKey === undefined) {
      throw new AuthenticationError(
        `anthropic (${this.modelId}): no API key; set ANTHROPIC_API_KEY or the apiKey setting`,
        { provider: 'anthropic', model: this.modelId, providerCode: 'missing_api_key' },
      );
    }
  }

  private requestOptions(signal: AbortSignal, options: CallOptions | undefined) {
    return options?.headers === undefined ? { signal } : { signal, headers: options.headers };
  }

  /**
   * The call's timeout for the SDK's own timer, when that timer can be the
   * deadline of a plain call: no caller signal, the default transport (a
   * fetch of the caller's may hand the body over before it has arrived), and
   * a timeout a timer can hold. Otherwise undefined: the call runs under its own signal.
   */
  private sdkTimeout(options: CallOptions | undefined): number | undefined {
    if (options?.signal !== undefined || !this.sdkTimerCoversCall) return undefined;
    const ms = options?.timeoutMs ?? this.timeoutMs;
    return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIMER_MS ? Math.ceil(ms) : undefined;
  }

  /** The timeout a streamed call without a caller's signal runs under; else undefined. */
  private streamTimeout(options: CallOptions | undefined): number | undefined {
    if (options?.signal !== undefined) return undefined;
    const ms = options?.timeoutMs ?? this.timeoutMs;
    return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIMER_MS ? Math.ceil(ms) : undefined;
  }

  /** An SDK failure mapped for this model; `signal` is the one the call ran under. */
  private mapError(error: unknown, signal: AbortSignal | undefined) {
    return mapAnthropicError(error, { model: this.modelId, apiKey: this.apiKey, signal });
  }

  private deadline(options: CallOptions | undefined): CallScope {
    return callScope(options, this.timeoutMs);
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    this.requireKey();
    const started = performance.now();
    const { body, warnings, json } = buildAnthropicRequest(
      request,
      this.modelId,
      this.capabilities.maxOutputTokens,
    );
    let message: unknown;
    const sdkTimeout = this.sdkTimeout(options);
    if (sdkTimeout !== undefined) {
      // No caller signal to honour: the SDK's own timer (it arms one per request on a
      // controller of its own anyway) is the deadline, which spares a second controller,
      // a listener and a finalization registration per call. It covers the whole call
      // because the default transport reads a JSON body before its fetch resolves.
      try {
        message = await this.client.messages.create(
          body,
          options?.headers === undefined
            ? { timeout: sdkTimeout }
            : { timeout: sdkTimeout, headers: options.headers },
        );
      } catch (error) {
        throw this.mapError(error, undefined);
      }
    } else {
      const deadline = this.deadline(options);
      try {
        message = await this.client.messages.create(
          body,
          this.requestOptions(deadline.signal, options),
        );
      } catch (error) {
        throw this.mapError(error, deadline.signal);
      } finally {
        deadline.dispose();
      }
    }
    return convertAnthropicResponse(message, {
      model: this.modelId,
      pricing: this.pricing,
      json,
      warnings,
      latencyMs: performance.now() - started,
    });
  }

  override stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    // One generator from request to chunks: every layer of async iteration costs per event.
    return transformAnthropicStream(
      () => {
        this.requireKey();
        const built = buildAnthropicRequest(
          request,
          this.modelId,
          this.capabilities.maxOutputTokens,
        );
        const timeout = this.streamTimeout(options);
        if (timeout !== undefined) {
          // No caller signal: the SDK's timer bounds the wait for headers, then the
          // deadline aborts the SDK stream's own controller (see StreamDeadline).
          const deadline = new StreamDeadline(timeout);
          const events = this.client.messages.create(
            { ...built.body, stream: true },
            options?.headers === undefined ? { timeout } : { timeout, headers: options.headers },
          );
          return { events, deadline, json: built.json, warnings: built.warnings };
        }
        const deadline = this.deadline(options);
        const events = this.client.messages.create(
          { ...built.body, stream: true },
          this.requestOptions(deadline.signal, options),
        );
        return { events, deadline, json: built.json, warnings: built.warnings };
      },
      { model: this.modelId, apiKey: this.apiKey, pricing: this.pricing },
    );
  }

  /** Input tokens of a request, counted by Anthropic's `count_tokens` endpoint. */
  async countTokens(request: ChatRequest, options?: CallOptions): Promise<number> {
    this.requireKey();
    const { body } = buildAnthropicRequest(
      request,
      this.modelId,
      this.capabilities.maxOutputTokens,
    );
    const deadline = this.deadline(options);
    try {
      const params = toCountTokensParams(body);
      const result = await this.client.messages.countTokens(
        params,
        this.requestOptions(deadline.signal, options),
      );
      return result.input_tokens;
    } catch (error) {
      throw this.mapError(error, deadline.signal);
    } finally {
      deadline.dispose();
    }
  }

  /** Lists one model: cheap, authenticated, and no generation. */
  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const started = performance.now();
    const deadline = callScope(signal ? { signal } : undefined, Math.min(this.timeoutMs, 30_000));
    try {
      this.requireKey();
      await this.client.models.list({ limit: 1 }, { signal: deadline.signal });
      return { healthy: true, latencyMs: performance.now() - started };
    } catch (error) {
      const mapped = this.mapError(error, deadline.signal);
      return {
        healthy: false,
        latencyMs: performance.now() - started,
        message: redactSecrets(mapped.message, [this.apiKey]),
      };
    } finally {
      deadline.dispose();
    }
  }
}

/** `new AnthropicModel({ model, ...settings })`. */
export function createAnthropicModel(
  model: AnthropicModelId,
  settings: Omit<AnthropicModelSettings, 'model'> = {},
): AnthropicModel {
  return new AnthropicModel({ ...settings, model });
}
