import { randomUUID } from 'node:crypto';
import { OrchestratorError } from '../errors/orchestrator-error.js';
import { AbortedError, TimeoutError } from '../errors/provider-errors.js';
import type { Model } from '../model/model.js';
import { responseChunks } from '../model/response-chunks.js';
import { calculateCost } from '../pricing/calculate-cost.js';
import { estimateTextTokens } from '../pricing/estimate-tokens.js';
import type { ChatChunk, ChatResponse, ToolCall } from '../types/chat.js';
import { cachedResponse } from './build-response.js';
import { Deadline, sleep } from './deadline.js';
import type { Orchestrator, Plan } from './orchestrator.js';
import type {
  Attempt,
  OrchestratorRequest,
  OrchestratorResponse,
  RoutingDecision,
} from './orchestrator-types.js';
import { backoffDelay, dispositionOf, retryAfterOf } from './retry-policy.js';
import { settleFailure } from './settle-try.js';
import { isRefusal, openTry, refusalEndsRequest, type TryHold } from './try-gate.js';

/** A streamed response: iterate the chunks; `response` settles when the stream ends. */
export interface OrchestratorStream extends AsyncIterable<ChatChunk> {
  /** The routing decision, once made (undefined for a cache hit). */
  readonly decision: Promise<RoutingDecision | undefined>;
  /**
   * The final record. Resolves when the stream ends — with `partial: true`
   * when it failed after the first token — and rejects when no model
   * produced any token.
   */
  readonly response: Promise<OrchestratorResponse>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The caller may only iterate; an unobserved rejection must not crash the process.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * Streams a request. Fallback and retries happen only before the first
 * token reaches the caller, and nothing from a failed attempt leaks into the
 * stream that replaces it. After the first token a failure ends the stream
 * with an `error` chunk (never a fake finish) and the usage is marked
 * partial. Stopping the iteration aborts the upstream call.
 */
export function streamRequest(
  engine: Orchestrator,
  request: OrchestratorRequest,
): OrchestratorStream {
  const decision = deferred<RoutingDecision | undefined>();
  const response = deferred<OrchestratorResponse>();
  const iterable = run(engine, request, decision, response);
  return {
    decision: decision.promise,
    response: response.promise,
    [Symbol.asyncIterator]: () => iterable[Symbol.asyncIterator](),
  };
}

async function* run(
  engine: Orchestrator,
  request: OrchestratorRequest,
  decision: Deferred<RoutingDecision | undefined>,
  final: Deferred<OrchestratorResponse>,
): AsyncGenerator<ChatChunk> {
  const started = engine.clock.now();
  const requestId = request.requestId ?? randomUUID();
  let plan: Plan;
  try {
    const cacheKey = engine.cacheKeyOf(request);
    if (cacheKey !== undefined) {
      const hit = await engine.cache!.get(cacheKey);
      if (hit) {
        decision.resolve(undefined);
        engine.emit('cache:hit', { requestId, model: hit.value.model, ageMs: hit.ageMs });
        const cached = cachedResponse(hit.value, requestId, engine.clock.now() - started);
        // Settle first: a caller may stop reading at the finish chunk.
        final.resolve(cached);
        engine.emit('complete', { requestId, response: cached });
        yield* responseChunks(hit.value, 0);
        return;
      }
      engine.emit('cache:miss', { requestId });
    }
    plan = engine.plan(request, requestId);
  } catch (error) {
    decision.reject(error);
    final.reject(error);
    yield { type: 'error', error: asOrchestratorError(error) };
    return;
  }
  decision.resolve(plan.decision);
  engine.emit('decision', plan.decision);

  const deadline = new Deadline(
    () => engine.clock.now(),
    request.timeoutMs ?? engine.timeouts.totalMs,
    request.signal,
  );
  const attempts: Attempt[] = [];
  let lastError: unknown;
  let refusalsOnly = true;

  for (const model of plan.order) {
    for (let tryNo = 1; ; tryNo++) {
      try {
        deadline.check();
      } catch (error) {
        final.reject(error);
        yield { type: 'error', error: asOrchestratorError(error) };
        return;
      }
      const hold = await openTry(
        model,
        plan.chat,
        request.user,
        request.maxCost,
        engine.registry.healthMonitor,
        engine.limiter,
        engine.budgets,
      );
      if (isRefusal(hold)) {
        attempts.push({
          model: model.name,
          provider: model.provider,
          outcome: hold.kind,
          latencyMs: 0,
          costUsd: 0,
          errorCode: hold.error.code,
          errorMessage: hold.error.message,
          try: tryNo,
        });
        lastError = hold.error;
        if (hold.kind === 'rate_limited')
          engine.emit('limit:rejected', { requestId, model: model.name, error: hold.error });
        if (hold.kind === 'over_budget')
          engine.emit('budget:rejected', { requestId, model: model.name, error: hold.error });
        if (refusalEndsRequest(hold)) {
          final.reject(hold.error);
          yield { type: 'error', error: hold.error };
          return;
        }
        break;
      }
      refusalsOnly = false;
      engine.retryBudget.onRequest(model.name, engine.clock.now());
      engine.emit('attempt', { requestId, model: model.name, try: tryNo });
      // The final record is settled before the stream's last chunk is handed
      // over, so a caller that stops reading at `finish` still gets it.
      const onEnd = (response: OrchestratorResponse, complete: boolean) => {
        final.resolve(response);
        if (complete) engine.emit('complete', { requestId, response });
      };
      const outcome = yield* attemptStream(
        engine,
        model,
        plan,
        request,
        hold,
        deadline,
        attempts,
        tryNo,
        started,
        onEnd,
      );
      if (outcome.kind !== 'failed') return;
      // Failed before the first token: retry, or fall back, or stop.
      lastError = outcome.error;
      const disposition = deadline.cancelled ? 'stop' : dispositionOf(outcome.error);
      if (disposition === 'stop') {
        final.reject(outcome.error);
        yield { type: 'error', error: asOrchestratorError(outcome.error) };
        return;
      }
      if (disposition === 'retry' && tryNo <= engine.retry.maxRetries) {
        const wait =
          retryAfterOf(outcome.error) ??
          backoffDelay(tryNo, engine.retry.baseDelayMs, engine.retry.maxDelayMs, engine.random);
        if (
          wait < deadline.remaining() &&
          engine.retryBudget.tryRetry(model.name, engine.clock.now())
        ) {
          engine.emit('retry', {
            requestId,
            model: model.name,
            try: tryNo + 1,
            delayMs: wait,
            reason: codeOf(outcome.error),
          });
          await sleep(wait, request.signal);
          continue;
        }
      }
      break;
    }
    if (model !== plan.order.at(-1))
      engine.emit('fallback', { requestId, from: model.name, reason: codeOf(lastError) });
  }
  const error = engine.finalError(attempts, lastError, refusalsOnly);
  final.reject(error);
  yield { type: 'error', error: asOrchestratorError(error) };
}

type AttemptOutcome =
  | { kind: 'done' }
  /** Failed before any token: the caller saw nothing, another try may follow. */
  | { kind: 'failed'; error: unknown }
  /** The stream ended after tokens reached the caller, with an error chunk. */
  | { kind: 'ended' };

async function* attemptStream(
  engine: Orchestrator,
  model: Model,
  plan: Plan,
  request: OrchestratorRequest,
  hold: TryHold,
  deadline: Deadline,
  attempts: Attempt[],
  tryNo: number,
  started: number,
  onEnd: (response: OrchestratorResponse, complete: boolean) => void,
): AsyncGenerator<ChatChunk, AttemptOutcome> {
  const attempt = deadline.attempt(model.constraints.timeoutMs ?? engine.timeouts.attemptMs);
  const t0 = engine.clock.now();
  let idle: ReturnType<typeof setTimeout> | undefined;
  let idleFired = false;
  let firstTokenAt: number | undefined;
  let text = '';
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  let settled = false;
  const iterator = model.stream(plan.chat, attempt.options)[Symbol.asyncIterator]();

  const failBeforeToken = (raw: unknown): AttemptOutcome => {
    settled = true;
    const error = settleFailure(
      engine,
      model,
      plan,
      hold,
      idleFired ? idleError(model, engine) : raw,
      engine.clock.now() - t0,
      attempts,
      tryNo,
      deadline,
      attempt.timedOut(),
    );
    return { kind: 'failed', error };
  };

  /** After the first token: account for a partial answer, settle, then send the last chunk. */
  async function* endAfterToken(
    error: unknown,
    last: ChatChunk,
  ): AsyncGenerator<ChatChunk, AttemptOutcome> {
    settled = true;
    const response = await endPartial(
      engine,
      model,
      plan,
      hold,
      text,
      calls,
      attempts,
      started,
      error,
      t0,
      firstTokenAt ?? t0,
      deadline,
    );
    onEnd(response, false);
    yield last;
    return { kind: 'ended' };
  }

  try {
    while (true) {
      let step: IteratorResult<ChatChunk>;
      try {
        // The attempt's race, not a listener added and removed per chunk: a
        // model that ignores its signal still cannot hold the stream.
        step = await attempt.race(iterator.next());
      } catch (raw) {
        if (firstTokenAt === undefined) return failBeforeToken(raw);
        const error = idleFired ? idleError(model, engine) : raw;
        const sent = asOrchestratorError(deadline.cancelled ? new AbortedError() : error);
        return yield* endAfterToken(error, { type: 'error', error: sent });
      }
      if (step.done) {
        // A stream that ends without finish or error broke its contract.
        const error = new OrchestratorError(`${model.name} ended its stream without a finish.`, {
          code: 'invalid_response',
          retryable: true,
        });
        if (firstTokenAt === undefined) return failBeforeToken(error);
        return yield* endAfterToken(error, { type: 'error', error });
      }
      const chunk = step.value;
      if (chunk.type === 'error') {
        if (firstTokenAt === undefined) return failBeforeToken(chunk.error);
        return yield* endAfterToken(chunk.error, chunk);
      }
      if (chunk.type === 'finish') {
        const usage = chunk.usage;
        const latencyMs = engine.clock.now() - t0;
        const toolCalls: ToolCall[] = [...calls.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([, c]) => c);
        // Optional fields set one by one: conditional spreads take V8's slow literal path on Node 20.
        const response: { -readonly [K in keyof ChatResponse]: ChatResponse[K] } = {
          model: chunk.model ?? model.name,
          provider: model.provider,
          content: text,
          toolCalls,
          finishReason: chunk.finishReason,
          usage,
          costUsd: chunk.costUsd,
          latencyMs,
          warnings: chunk.warnings ?? [],
        };
        if (chunk.id !== undefined) response.id = chunk.id;
        if (chunk.rawFinishReason !== undefined) response.rawFinishReason = chunk.rawFinishReason;
        settled = true;
        const done = await engine.finish(
          response,
          hold,
          model,
          plan,
          request,
          attempts,
          started,
          false,
          firstTokenAt === undefined ? undefined : firstTokenAt - t0,
        );
        const cacheKey = engine.cacheKeyOf(request);
        if (cacheKey !== undefined) await engine.cache!.set(cacheKey, done);
        onEnd(done, true);
        yield chunk;
        return { kind: 'done' };
      }
      // Content: the first one commits this attempt to the caller.
      if (firstTokenAt === undefined) firstTokenAt = engine.clock.now();
      if (chunk.type === 'text-delta') text += chunk.text;
      else {
        const call = calls.get(chunk.index) ?? {
          id: chunk.id ?? '',
          name: chunk.name ?? '',
          arguments: '',
        };
        if (chunk.id) call.id = chunk.id;
        if (chunk.name) call.name = chunk.name;
        call.arguments += chunk.argumentsDelta;
        calls.set(chunk.index, call);
      }
      // The idle timeout counts new tokens only (keep-alives never become chunks).
      if (idle === undefined) {
        idle = setTimeout(() => {
          idleFired = true;
          attempt.abort(new DOMException('No new token in time.', 'TimeoutError'));
        }, engine.timeouts.idleMs);
      } else idle.refresh();
      yield chunk;
    }
  } finally {
    if (idle) clearTimeout(idle);
    if (!settled) {
      // The caller stopped iterating: abort upstream; a disconnect is not a provider failure.
      attempt.abort(new AbortedError('The caller stopped reading the stream.'));
      hold.permit.cancel();
      const partialCost = calculateCost(model.pricing, {
        inputTokens: plan.decision.estimatedInputTokens,
        outputTokens: estimateTextTokens(text),
      });
      void hold.reservation.commit(partialCost);
      if (hold.ticket && engine.limiter)
        void engine.limiter.reconcile(hold.ticket, hold.estimatedTokens);
      attempts.push({
        model: model.name,
        provider: model.provider,
        outcome: 'aborted',
        latencyMs: engine.clock.now() - t0,
        costUsd: partialCost,
        try: tryNo,
      });
    }
    attempt.dispose();
    void iterator.return?.();
  }
}

/** Accounts for a stream that failed after its first token and builds the partial record. */
async function endPartial(
  engine: Orchestrator,
  model: Model,
  plan: Plan,
  hold: TryHold,
  text: string,
  calls: Map<number, { id: string; name: string; arguments: string }>,
  attempts: Attempt[],
  started: number,
  error: unknown,
  t0: number,
  firstTokenAt: number,
  deadline: Deadline,
): Promise<OrchestratorResponse> {
  const usage = {
    inputTokens: plan.decision.estimatedInputTokens,
    outputTokens: estimateTextTokens(text),
  };
  const costUsd = calculateCost(model.pricing, usage);
  const code = OrchestratorError.isInstance(error) ? error.code : 'unknown_error';
  const aborted = deadline.cancelled;
  if (aborted) hold.permit.cancel();
  else hold.permit.failure(engine.clock.now(), { permanent: code === 'authentication_failed' });
  await hold.reservation.commit(costUsd);
  if (hold.ticket && engine.limiter)
    await engine.limiter.reconcile(hold.ticket, usage.inputTokens + usage.outputTokens);
  if (!aborted) {
    engine.registry.record(model.name, {
      success: false,
      latencyMs: engine.clock.now() - t0,
      timeToFirstTokenMs: firstTokenAt - t0,
      ...usage,
      costUsd,
      taskType: plan.taskType,
      error: { code, message: error instanceof Error ? error.message : String(error) },
    });
  }
  attempts.push({
    model: model.name,
    provider: model.provider,
    outcome: aborted ? 'aborted' : 'error',
    latencyMs: engine.clock.now() - t0,
    costUsd,
    errorCode: code,
    try: attempts.filter((a) => a.model === model.name).length + 1,
  });
  return {
    model: model.name,
    provider: model.provider,
    content: text,
    toolCalls: [...calls.values()],
    finishReason: 'error',
    usage,
    costUsd,
    latencyMs: engine.clock.now() - t0,
    warnings: [],
    requestId: plan.decision.requestId,
    modelUsed: model.name,
    cached: false,
    processingTimeMs: engine.clock.now() - started,
    attempts,
    decision: plan.decision,
    rateLimit: hold.rateLimit,
    partial: true,
  };
}

function idleError(model: Model, engine: Orchestrator): TimeoutError {
  return new TimeoutError(`${model.name} produced no new token for ${engine.timeouts.idleMs} ms.`, {
    provider: model.provider,
    model: model.name,
    possiblyBilled: true,
  });
}

function asOrchestratorError(error: unknown): OrchestratorError {
  if (OrchestratorError.isInstance(error)) return error;
  return new OrchestratorError(error instanceof Error ? error.message : String(error), {
    code: 'unknown_error',
    cause: error,
  });
}

function codeOf(error: unknown): string {
  return OrchestratorError.isInstance(error) ? error.code : 'unknown';
}
