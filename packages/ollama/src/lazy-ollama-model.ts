import {
  AbortedError,
  abortedByTimeout,
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  callSignal,
  type EmbeddingRequest,
  type EmbeddingResponse,
  EventEmitter,
  type HealthCheckResult,
  InvalidResponseError,
  type OrchestratorError,
  TimeoutError,
} from '@orchestrator/core';
import type { OllamaModelId } from './ollama-capabilities.js';
import { mapOllamaError, PROVIDER } from './ollama-error.js';
import { OllamaModel, sameOllamaModel } from './ollama-model.js';
import type { OllamaModelSettings } from './ollama-settings.js';
import { pullOllamaModel } from './pull-ollama-model.js';

/** What a lazy model reports while it makes its model available. */
export type LazyOllamaEvent =
  | { readonly type: 'pull-start'; readonly model: string }
  | {
      readonly type: 'pull-progress';
      readonly model: string;
      /** Ollama's status line: `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`… */
      readonly status: string;
      readonly digest?: string;
      /** Bytes downloaded so far, over every layer seen. */
      readonly completedBytes: number;
      /** Bytes of every layer seen so far (it grows as layers appear). */
      readonly totalBytes: number;
    }
  | {
      readonly type: 'ready';
      readonly model: string /** False when the model was already installed. */;
      readonly pulled: boolean;
    }
  | { readonly type: 'pull-failed'; readonly model: string; readonly error: OrchestratorError };

export type LazyOllamaListener<T extends LazyOllamaEvent['type'] | '*'> = (
  event: T extends '*' ? LazyOllamaEvent : Extract<LazyOllamaEvent, { type: T }>,
) => void;

/** The typed event map behind `on`/`off`: one entry per event type, plus `*` for every event. */
type LazyOllamaEvents = {
  [K in LazyOllamaEvent['type']]: [event: Extract<LazyOllamaEvent, { type: K }>];
} & { '*': [event: LazyOllamaEvent] };

export interface LazyOllamaModelSettings extends OllamaModelSettings {
  /** Give a pull up when nothing arrives for this long, in ms (default 5 minutes). */
  readonly pullIdleTimeoutMs?: number;
  /** Pull over plain HTTP from a private registry (`insecure`). */
  readonly insecure?: boolean;
  /** Receives every event, like `on('*', …)`. */
  readonly onEvent?: (event: LazyOllamaEvent) => void;
}

const DEFAULT_PULL_IDLE_TIMEOUT_MS = 5 * 60_000;

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.round(n / 1e3)} kB`;
}

/**
 * An `OllamaModel` that makes sure its model is on the server before the
 * first call: no network at construction; on first use it lists the
 * server's models (`/api/tags`) and pulls the model if missing, with
 * progress events, then serves. Concurrent first calls share one check and
 * one pull; a failed pull fails every waiter with the server's reason, and
 * the next call tries again. A caller's abort or timeout ends its own wait,
 * not the pull others wait for.
 */
export class LazyOllamaModel extends OllamaModel {
  private readonly events = new EventEmitter<LazyOllamaEvents>();
  private readonly pullIdleTimeoutMs: number;
  private readonly insecure: boolean;
  private ready = false;
  private loading: Promise<void> | undefined;
  private progress = { completed: 0, total: 0 };

  constructor(modelId: OllamaModelId, settings: LazyOllamaModelSettings = {}) {
    super(modelId, settings);
    this.pullIdleTimeoutMs = settings.pullIdleTimeoutMs ?? DEFAULT_PULL_IDLE_TIMEOUT_MS;
    this.insecure = settings.insecure ?? false;
    if (settings.onEvent) this.events.on('*', settings.onEvent);
  }

  /** True once the model is known to be on the server. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Listens to one event type (or `*` for all); returns a function that stops listening. */
  on<T extends LazyOllamaEvent['type'] | '*'>(
    type: T,
    listener: LazyOllamaListener<T>,
  ): () => void {
    const fn = listener as (event: LazyOllamaEvent) => void;
    // Once per listener, as before: adding the same function twice is one listener.
    if (!this.events.listeners(type).includes(fn)) this.events.on(type, fn);
    return () => this.off(type, listener);
  }

  off<T extends LazyOllamaEvent['type'] | '*'>(type: T, listener: LazyOllamaListener<T>): void {
    this.events.off(type, listener as (event: LazyOllamaEvent) => void);
  }

  /**
   * Emits to the event's own listeners, then to `*`. Each listener is called
   * on its own: one that throws is skipped, never failing a pull that other
   * callers wait for (eventemitter3's `emit` would stop at the first throw).
   */
  private notify(event: LazyOllamaEvent): void {
    for (const type of [event.type, '*'] as const) {
      for (const listener of this.events.listeners(type)) {
        try {
          (listener as (event: LazyOllamaEvent) => void)(event);
        } catch {
          // Skipped: see above.
        }
      }
    }
  }

  /**
   * Makes sure the model is on the server, pulling it if not. Every caller
   * shares the one check and pull in flight; the caller's signal or timeout
   * ends only its own wait.
   */
  async ensureReady(options?: CallOptions): Promise<void> {
    if (this.ready) return;
    const signal = callSignal(options, this.constraints.timeoutMs);
    if (signal?.aborted) throw this.waitError(signal);
    if (!this.loading) {
      const loading: Promise<void> = this.load().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      // Waiters may all have given up; a failure is theirs to see, never an unhandled rejection.
      loading.catch(() => {});
      this.loading = loading;
    }
    await this.wait(this.loading, signal);
  }

  override async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const rest = await this.readyThenRest(options);
    try {
      return await super.generate(request, rest);
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  override async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    let rest: CallOptions | undefined;
    try {
      rest = await this.readyThenRest(options);
    } catch (error) {
      yield { type: 'error', error: error as OrchestratorError };
      return;
    }
    for await (const chunk of super.stream(request, rest)) {
      if (chunk.type === 'error') this.noteFailure(chunk.error);
      yield chunk;
    }
  }

  override async embed(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const rest = await this.readyThenRest(options);
    try {
      return await super.embed(request, rest);
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  /** Healthy when the server answers (`/api/version`); a missing model is pulled on first use. */
  override async healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    const started = performance.now();
    const ctx = this.callContext(signal, false);
    try {
      await this.client(ctx).version();
      return {
        healthy: true,
        latencyMs: performance.now() - started,
        ...(this.ready
          ? {}
          : { message: `ollama: '${this.modelId}' will be pulled on first use if missing` }),
      };
    } catch (error) {
      return {
        healthy: false,
        latencyMs: performance.now() - started,
        message: mapOllamaError(error, ctx).message,
      };
    }
  }

  /** Waits for readiness; the call then gets what is left of its timeout, so one deadline covers both. */
  private async readyThenRest(options: CallOptions | undefined): Promise<CallOptions | undefined> {
    if (this.ready) return options;
    const started = performance.now();
    await this.ensureReady(options);
    const timeoutMs = options?.timeoutMs ?? this.constraints.timeoutMs;
    if (timeoutMs === undefined) return options;
    return { ...options, timeoutMs: Math.max(1, timeoutMs - (performance.now() - started)) };
  }

  /** A model deleted from the server after it was found: check (and pull) again on the next call. */
  private noteFailure(error: unknown): void {
    if ((error as { providerCode?: unknown } | undefined)?.providerCode === 'model_not_found')
      this.ready = false;
  }

  private wait(loading: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return loading;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(this.waitError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      loading.then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private waitError(signal: AbortSignal): OrchestratorError {
    if (!abortedByTimeout(signal)) return new AbortedError();
    const { completed, total } = this.progress;
    const where = this.loading
      ? total > 0
        ? ` while the model was being pulled (${formatBytes(completed)} of ${formatBytes(total)}); the pull goes on`
        : ' while the model was being checked or pulled; that goes on'
      : '';
    return new TimeoutError(`${PROVIDER} (${this.modelId}): the call timed out${where}`, {
      provider: PROVIDER,
      model: this.modelId,
      possiblyBilled: false,
    });
  }

  private async load(): Promise<void> {
    const ctx = this.callContext(
      undefined,
      false,
      `checking the models of ${this.connection.displayHost}`,
    );
    let models: unknown;
    try {
      models = ((await this.client(ctx).list()) as { models?: unknown } | null)?.models;
    } catch (error) {
      throw mapOllamaError(error, ctx);
    }
    if (!Array.isArray(models)) {
      throw new InvalidResponseError(
        `${PROVIDER} (${this.modelId}): /api/tags did not list models`,
        {
          provider: PROVIDER,
          model: this.modelId,
        },
      );
    }
    const installed = models.some(
      (m) => typeof m?.name === 'string' && sameOllamaModel(m.name, this.modelId),
    );
    if (!installed) await this.pull();
    this.ready = true;
    this.notify({ type: 'ready', model: this.modelId, pulled: !installed });
  }

  private async pull(): Promise<void> {
    const controller = new AbortController();
    const ctx = this.callContext(
      controller.signal,
      true,
      `pulling "${this.modelId}" from ${this.connection.displayHost}`,
    );
    this.progress = { completed: 0, total: 0 };
    this.notify({ type: 'pull-start', model: this.modelId });
    try {
      await pullOllamaModel({
        model: this.modelId,
        client: this.client(ctx),
        ctx,
        controller,
        idleTimeoutMs: this.pullIdleTimeoutMs,
        insecure: this.insecure,
        onProgress: (progress) => {
          this.progress = { completed: progress.completedBytes, total: progress.totalBytes };
          this.notify({ type: 'pull-progress', model: this.modelId, ...progress });
        },
      });
    } catch (error) {
      this.notify({
        type: 'pull-failed',
        model: this.modelId,
        error: error as OrchestratorError,
      });
      throw error;
    }
  }
}

/** Creates a `LazyOllamaModel`. */
export function createLazyOllamaModel(
  modelId: OllamaModelId,
  settings?: LazyOllamaModelSettings,
): LazyOllamaModel {
  return new LazyOllamaModel(modelId, settings);
}
