import {
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  callSignal,
  type EmbeddingRequest,
  type EmbeddingResponse,
  EventEmitter,
  type HealthCheckResult,
  InvalidModelConfigError,
  InvalidRequestError,
  Model,
  OrchestratorError,
  ProviderError,
  TimeoutError,
} from '@orchestrator/core';
import {
  abortError,
  type ColdStartEvent,
  type ColdStartPolicy,
  ColdStartTimeoutError,
  DEFAULT_COLD_START_POLICY,
  nextPollDelay,
  raceAbort,
  sleep,
} from './cold-start.js';
import { ModelLoadingError } from './huggingface-error.js';
import { HuggingFaceModel } from './huggingface-model.js';
import { type HuggingFaceModelSettings, huggingFaceModelConfig } from './huggingface-settings.js';

export interface LazyHuggingFaceModelSettings
  extends HuggingFaceModelSettings,
    Partial<ColdStartPolicy> {
  /** Receives cold-start progress; the same as `on('progress', …)`. */
  readonly onProgress?: (event: ColdStartEvent) => void;
}

/** How a warm-up ended, for the calls that waited on it. */
type Outcome = 'ready' | 'retry';

type Op<T> = (options: CallOptions | undefined) => Promise<T>;

/**
 * A HuggingFaceModel that creates its client on first use (no network at
 * construction) and rides out a cold model: on 503 "is currently loading" it
 * waits (the server's estimate, growing with backoff, capped) and tries
 * again, reporting progress, up to `maxColdStartWaitMs`. One warm-up runs
 * at a time: concurrent calls wait for it instead of polling too; if it
 * fails they all get its error, and the next call starts a new one.
 */
export class LazyHuggingFaceModel extends Model {
  readonly modelId: string;
  private readonly settings: HuggingFaceModelSettings;
  private readonly policy: ColdStartPolicy;
  private readonly events = new EventEmitter<{ progress: [event: ColdStartEvent] }>();
  private inner: HuggingFaceModel | undefined;
  private warm = false;
  private flight: Promise<Outcome> | undefined;

  constructor(settings: LazyHuggingFaceModelSettings) {
    super(huggingFaceModelConfig(settings).config);
    this.settings = settings;
    this.modelId = settings.model;
    this.policy = {
      maxColdStartWaitMs:
        settings.maxColdStartWaitMs ?? DEFAULT_COLD_START_POLICY.maxColdStartWaitMs,
      initialPollMs: settings.initialPollMs ?? DEFAULT_COLD_START_POLICY.initialPollMs,
      maxPollIntervalMs: settings.maxPollIntervalMs ?? DEFAULT_COLD_START_POLICY.maxPollIntervalMs,
      backoffFactor: settings.backoffFactor ?? DEFAULT_COLD_START_POLICY.backoffFactor,
    };
    for (const [key, value] of Object.entries(this.policy)) {
      if (!(Number.isFinite(value) && value > 0))
        throw new InvalidModelConfigError(key, `must be a positive number, got ${value}`);
    }
    if (this.policy.backoffFactor < 1)
      throw new InvalidModelConfigError('backoffFactor', 'must be at least 1');
    if (settings.onProgress) this.on('progress', settings.onProgress);
  }

  /** `cold` until a call got through, `warming` while one waits for the model, then `warm`. */
  get state(): 'cold' | 'warming' | 'warm' {
    if (this.flight) return 'warming';
    return this.warm ? 'warm' : 'cold';
  }

  /** The underlying model, created on first use. */
  get model(): HuggingFaceModel {
    this.inner ??= new HuggingFaceModel(this.settings);
    return this.inner;
  }

  on(_event: 'progress', listener: (event: ColdStartEvent) => void): this {
    // Once per listener, as before: adding the same function twice is one listener.
    if (!this.events.listeners('progress').includes(listener)) this.events.on('progress', listener);
    return this;
  }

  off(_event: 'progress', listener: (event: ColdStartEvent) => void): this {
    this.events.off('progress', listener);
    return this;
  }

  /**
   * Calls each progress listener on its own: one that throws is skipped and
   * never breaks the call it observes (eventemitter3's `emit` would stop there).
   */
  private emitProgress(event: ColdStartEvent): void {
    for (const listener of this.events.listeners('progress')) {
      try {
        listener(event);
      } catch {
        // Skipped: see above.
      }
    }
  }

  generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    return this.run((o) => this.model.generate(request, o), options);
  }

  override embed(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    return this.run((o) => this.model.embed(request, o), options);
  }

  override healthCheck(signal?: AbortSignal): Promise<HealthCheckResult> {
    return this.model.healthCheck(signal);
  }

  override async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    let iterator: AsyncIterator<ChatChunk> | undefined;
    let first: IteratorResult<ChatChunk>;
    try {
      // A stream's cold-start reply arrives as its first chunk, before any text: open, peek, decide.
      ({ iterator, first } = await this.run(async (o) => {
        const it = this.model.stream(request, o)[Symbol.asyncIterator]();
        const head = await it.next();
        if (!head.done && head.value.type === 'error') {
          await it.return?.();
          throw head.value.error;
        }
        return { iterator: it, first: head };
      }, options));
    } catch (error) {
      yield { type: 'error', error: asOrchestratorError(error) };
      return;
    }
    try {
      for (let next = first; !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }

  /** Runs `op`, joining or leading a warm-up while the model is cold. */
  private async run<T>(op: Op<T>, options: CallOptions | undefined): Promise<T> {
    // The caller's signal and deadline bound the waiting; each attempt gets the caller's options as they are.
    const signal = callSignal(options);
    const started = performance.now();
    let pending: ModelLoadingError | undefined;
    for (;;) {
      if (this.flight) {
        await raceAbort(this.flight, signal, () =>
          abortError(this.modelId, signal!, options?.signal, performance.now() - started),
        );
        pending = undefined;
        continue;
      }
      if (!this.warm || pending) return this.lead(op, options, signal, pending);
      try {
        return await op(options);
      } catch (error) {
        if (!ModelLoadingError.isInstance(error)) throw error;
        // Scaled back to zero: the next loop joins or leads a new warm-up.
        this.warm = false;
        pending = error;
      }
    }
  }

  private async lead<T>(
    op: Op<T>,
    options: CallOptions | undefined,
    signal: AbortSignal | undefined,
    pending: ModelLoadingError | undefined,
  ): Promise<T> {
    let settle!: (outcome: Outcome) => void;
    let fail!: (error: unknown) => void;
    const flight = new Promise<Outcome>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    flight.catch(() => {}); // nobody may be waiting
    this.flight = flight;
    const started = performance.now();
    const counter = { attempts: 0 };
    try {
      const result = await this.rideOut(op, options, signal, pending, started, counter);
      this.markReady(started, counter.attempts);
      settle('ready');
      return result;
    } catch (error) {
      if (InvalidRequestError.isInstance(error)) {
        // The endpoint answered; the request was this caller's own problem.
        this.markReady(started, counter.attempts);
        settle('ready');
      } else if (
        !ProviderError.isInstance(error) ||
        (TimeoutError.isInstance(error) && !ColdStartTimeoutError.isInstance(error))
      ) {
        // The leader gave up (cancelled, its own deadline): another caller takes over.
        settle('retry');
      } else {
        this.emitProgress({
          type: 'failed',
          model: this.modelId,
          waitedMs: performance.now() - started,
          error,
        });
        fail(error);
      }
      throw error;
    } finally {
      if (this.flight === flight) this.flight = undefined;
    }
  }

  private async rideOut<T>(
    op: Op<T>,
    options: CallOptions | undefined,
    signal: AbortSignal | undefined,
    pending: ModelLoadingError | undefined,
    started: number,
    counter: { attempts: number },
  ): Promise<T> {
    for (;;) {
      if (!pending) {
        try {
          return await op(options);
        } catch (error) {
          if (!ModelLoadingError.isInstance(error)) throw error;
          pending = error;
        }
      }
      const waitedMs = performance.now() - started;
      const remaining = this.policy.maxColdStartWaitMs - waitedMs;
      if (remaining <= 0)
        throw new ColdStartTimeoutError(
          this.modelId,
          this.policy.maxColdStartWaitMs,
          waitedMs,
          pending,
        );
      const delay = nextPollDelay(
        this.policy,
        counter.attempts,
        pending.estimatedTimeMs,
        remaining,
      );
      counter.attempts++;
      this.emitProgress({
        type: 'loading',
        model: this.modelId,
        estimatedTimeMs: pending.estimatedTimeMs,
        waitedMs,
        attempt: counter.attempts,
        nextPollInMs: delay,
      });
      await sleep(delay, signal, () =>
        abortError(this.modelId, signal!, options?.signal, performance.now() - started),
      );
      pending = undefined;
    }
  }

  private markReady(started: number, attempts: number): void {
    this.warm = true;
    this.emitProgress({
      type: 'ready',
      model: this.modelId,
      waitedMs: performance.now() - started,
      attempts,
    });
  }
}

function asOrchestratorError(error: unknown): OrchestratorError {
  if (OrchestratorError.isInstance(error)) return error;
  return new OrchestratorError(error instanceof Error ? error.message : String(error), {
    code: 'unknown',
    cause: error,
  });
}

/** Creates a LazyHuggingFaceModel: `lazyHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { endpointUrl })`. */
export function lazyHuggingFace(
  model: LazyHuggingFaceModelSettings['model'],
  settings: Omit<LazyHuggingFaceModelSettings, 'model'> = {},
): LazyHuggingFaceModel {
  return new LazyHuggingFaceModel({ ...settings, model });
}
