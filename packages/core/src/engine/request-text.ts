import type { ChatRequest } from '../types/chat.js';

/** Capabilities a request needs from any model that answers it. */
export function impliedCapabilities(
  request: ChatRequest,
): ('vision' | 'tool_calling' | 'json_mode')[] {
  const out: ('vision' | 'tool_calling' | 'json_mode')[] = [];
  if (
    request.messages.some(
      (m) =>
        m.role === 'user' &&
        typeof m.content !== 'string' &&
        m.content.some((p) => p.type === 'image'),
    )
  ) {
    out.push('vision');
  }
  if (request.tools && request.tools.length > 0 && request.toolChoice !== 'none')
    out.push('tool_calling');
  if (request.responseFormat && request.responseFormat.type !== 'text') out.push('json_mode');
  return out;
}

/** The orchestrator's own request fields, which providers never see. */
const ORCHESTRATOR_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'taskType',
  'strategy',
  'capabilities',
  'maxCost',
  'excludeModels',
  'user',
  'context',
  'cache',
  'requestId',
  'timeoutMs',
  'signal',
  'weights',
]);

/**
 * The provider-facing part of a request: everything but the orchestrator's
 * own fields. A loop over the request's own keys rather than rest
 * destructuring, which takes V8's slow copy-with-exclusions path (a few
 * microseconds on every request).
 */
export function toChatRequest(
  request: ChatRequest & Record<string, unknown>,
  extraSystem: string | undefined,
): ChatRequest {
  const chat: Record<string, unknown> = {};
  for (const key in request) {
    if (!ORCHESTRATOR_FIELDS.has(key) && Object.hasOwn(request, key)) chat[key] = request[key];
  }
  if (extraSystem)
    chat.system = request.system ? `${request.system}\n\n${extraSystem}` : extraSystem;
  return chat as unknown as ChatRequest;
}
