import { OrchestratorError } from '../errors/orchestrator-error.js';
import { AbortedError, TimeoutError } from '../errors/provider-errors.js';
import { countsAgainstHealth } from '../health/model-health-monitor.js';
import type { Model } from '../model/model.js';
import type { ModelOutcome } from '../model/model-outcome.js';
import { estimateCost } from '../pricing/calculate-cost.js';
import type { ChatResponse } from '../types/chat.js';
import { attemptAbortError, type Deadline } from './deadline.js';
import type { Orchestrator, Plan } from './orchestrator.js';
import type { Attempt, OrchestratorRequest } from './orchestrator-types.js';
import type { TryHold } from './try-gate.js';

/**
 * Waits for a provider call, but never longer than its signal allows: a
 * model that ignores its AbortSignal cannot hang the request.
 */
export function raceSignal<T>(
  work: Promise<T>,
  signal: AbortSignal,
  timedOut: () => boolean,
): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(abortError(signal, timedOut()));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, timedOut()));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(signal: AbortSignal, timedOut: boolean): OrchestratorError {
  return attemptAbortError(signal.reason, timedOut);
}

/** Normalizes a failed call's error: timeouts and cancellations by what actually happened. */
export function normalizeError(
  raw: unknown,
  model: Model,
  deadline: Deadline,
  timedOut: boolean,
): unknown {
  if (deadline.cancelled)
    return AbortedError.isInstance(raw)
      ? raw
      : new AbortedError('The request was cancelled by the caller.', raw);
  if (timedOut && !TimeoutError.isInstance(raw)) {
    return new TimeoutError(`${model.name} did not answer in time.`, {
      provider: model.provider,
      model: model.name,
      possiblyBilled: true,
      cause: raw,
    });
  }
  return raw;
}

/** Settles a failed try: breaker, budget, limits, metrics and the attempt log. Returns the normalized error. */
export function settleFailure(
  engine: Orchestrator,
  model: Model,
  plan: Plan,
  hold: TryHold,
  raw: unknown,
  latencyMs: number,
  attempts: Attempt[],
  tryNo: number,
  deadline: Deadline,
  timedOut = false,
): unknown {
  const error = normalizeError(
    raw,
    model,
    deadline,
    timedOut || (TimeoutError.isInstance(raw) && raw.provider === 'orchestrator'),
  );
  const aborted = AbortedError.isInstance(error);
  const code = OrchestratorError.isInstance(error) ? error.code : undefined;
  const billed = (error as { possiblyBilled?: boolean }).possiblyBilled === true;
  const inputCost = estimateCost(model.pricing, plan.decision.estimatedInputTokens, 0);
  if (aborted) hold.permit.cancel();
  else if (countsAgainstHealth(code)) {
    hold.permit.failure(engine.clock.now(), { permanent: code === 'authentication_failed' });
  } else hold.permit.cancel();
  // A call that may have been billed is charged its input; anything else gives the budget back.
  void (billed ? hold.reservation.commitFast(inputCost) : hold.reservation.releaseFast());
  if (hold.ticket && engine.limiter)
    void engine.limiter.reconcileFast(hold.ticket, billed ? plan.decision.estimatedInputTokens : 0);
  if (!aborted) {
    engine.registry.record(model.name, {
      success: false,
      latencyMs,
      taskType: plan.taskType,
      error: {
        code: code ?? 'unknown_error',
        message: error instanceof Error ? error.message : String(error),
      },
    });
  }
  const attempt: Attempt = {
    model: model.name,
    provider: model.provider,
    outcome: aborted ? 'aborted' : code === 'timeout' ? 'timeout' : 'error',
    latencyMs,
    costUsd: billed ? inputCost : 0,
    errorCode: code ?? 'unknown_error',
    errorMessage: error instanceof Error ? error.message : String(error),
    ...(billed ? { possiblyBilled: true } : {}),
    try: tryNo,
  };
  attempts.push(attempt);
  if (engine.listenerCount('attempt:done') > 0)
    engine.emit('attempt:done', { requestId: plan.decision.requestId, attempt });
  return error;
}

/** Settles a successful try and returns the reward it earned. */
export function settleSuccess(
  engine: Orchestrator,
  model: Model,
  plan: Plan,
  request: OrchestratorRequest,
  hold: TryHold,
  response: ChatResponse,
  attempts: Attempt[],
  partial: boolean,
  timeToFirstTokenMs?: number,
  now: number = engine.clock.now(),
): { reward: number; settled: Promise<void> | undefined } {
  hold.permit.success(now);
  const used = (response.usage.inputTokens ?? 0) + (response.usage.outputTokens ?? 0);
  // Both settle synchronously with in-memory stores (or nothing to settle): then
  // there is no promise to wait for.
  const committed = hold.reservation.commitFast(response.costUsd);
  const reconciled =
    hold.ticket && engine.limiter
      ? engine.limiter.reconcileFast(hold.ticket, used || hold.estimatedTokens)
      : undefined;
  const settled =
    committed === undefined && reconciled === undefined
      ? undefined
      : Promise.all([committed, reconciled]).then(() => undefined);
  // Built field by field: conditional spreads cost more than the accounting itself.
  const outcome: { -readonly [K in keyof ModelOutcome]: ModelOutcome[K] } = {
    success: !partial,
    latencyMs: response.latencyMs,
    costUsd: response.costUsd,
    taskType: plan.taskType,
  };
  if (timeToFirstTokenMs !== undefined) outcome.timeToFirstTokenMs = timeToFirstTokenMs;
  if (response.usage.inputTokens !== undefined) outcome.inputTokens = response.usage.inputTokens;
  if (response.usage.outputTokens !== undefined) outcome.outputTokens = response.usage.outputTokens;
  if (partial) outcome.error = { code: 'stream_interrupted', message: 'The stream ended early.' };
  const reward = engine.registry.record(model.name, outcome);
  if (request.user !== undefined) {
    engine.history.record(
      request.user,
      model.name,
      plan.complexity,
      !partial,
      reward,
      response.costUsd,
    );
  }
  const attempt: Attempt = {
    model: model.name,
    provider: model.provider,
    outcome: partial ? 'error' : 'success',
    latencyMs: response.latencyMs,
    costUsd: response.costUsd,
    try: attempts.filter((a) => a.model === model.name).length + 1,
  };
  attempts.push(attempt);
  if (engine.listenerCount('attempt:done') > 0)
    engine.emit('attempt:done', { requestId: plan.decision.requestId, attempt });
  return { reward, settled };
}
