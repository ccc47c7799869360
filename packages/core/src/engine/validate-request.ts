import { TASK_TYPES } from '../types/capabilities.js';
import { InvalidOrchestratorRequestError } from './orchestrator-errors.js';
import { type OrchestratorRequest, ROUTING_STRATEGIES } from './orchestrator-types.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

function numberIn(
  request: OrchestratorRequest,
  key: keyof OrchestratorRequest,
  min: number,
  max: number,
  integer = false,
): void {
  const v = request[key];
  if (v === undefined) return;
  if (
    typeof v !== 'number' ||
    Number.isNaN(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    throw new InvalidOrchestratorRequestError(
      String(key),
      `must be ${integer ? 'an integer' : 'a number'} within [${min}, ${max}], got ${JSON.stringify(v)}`,
    );
  }
}

/** Checks what the engine relies on; adapters check what their provider needs. */
export function validateRequest(request: OrchestratorRequest): void {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidOrchestratorRequestError('request', 'must be an object');
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw new InvalidOrchestratorRequestError('messages', 'must be a non-empty array');
  }
  for (let i = 0; i < request.messages.length; i++) {
    const m = request.messages[i]!;
    if (typeof m !== 'object' || m === null || !ROLES.has((m as { role?: string }).role ?? '')) {
      throw new InvalidOrchestratorRequestError(
        `messages[${i}].role`,
        'must be one of system, user, assistant, tool',
      );
    }
    const content = (m as { content?: unknown }).content;
    const ok =
      typeof content === 'string' ||
      Array.isArray(content) ||
      (m.role === 'assistant' && (content === null || content === undefined));
    if (!ok)
      throw new InvalidOrchestratorRequestError(
        `messages[${i}].content`,
        'must be a string or an array of parts',
      );
  }
  numberIn(request, 'temperature', 0, 2);
  numberIn(request, 'topP', 0, 1);
  numberIn(request, 'maxTokens', 1, 10_000_000, true);
  numberIn(request, 'maxCost', 0, Number.MAX_SAFE_INTEGER);
  numberIn(request, 'timeoutMs', 1, 24 * 3_600_000);
  if (request.strategy !== undefined && !ROUTING_STRATEGIES.includes(request.strategy)) {
    throw new InvalidOrchestratorRequestError(
      'strategy',
      `must be one of ${ROUTING_STRATEGIES.join(', ')}, got ${JSON.stringify(request.strategy)}`,
    );
  }
  if (request.taskType !== undefined && !TASK_TYPES.includes(request.taskType)) {
    throw new InvalidOrchestratorRequestError(
      'taskType',
      `must be one of ${TASK_TYPES.join(', ')}, got ${JSON.stringify(request.taskType)}`,
    );
  }
  if (request.model !== undefined && (typeof request.model !== 'string' || request.model === '')) {
    throw new InvalidOrchestratorRequestError('model', 'must be a non-empty string');
  }
}
