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

/** The provider-facing part of a request: everything but the orchestrator's own fields. */
export function toChatRequest(
  request: ChatRequest & Record<string, unknown>,
  extraSystem: string | undefined,
): ChatRequest {
  const {
    model: _model,
    taskType: _taskType,
    strategy: _strategy,
    capabilities: _capabilities,
    maxCost: _maxCost,
    excludeModels: _excludeModels,
    user: _user,
    context: _context,
    cache: _cache,
    requestId: _requestId,
    timeoutMs: _timeoutMs,
    signal: _signal,
    weights: _weights,
    ...chat
  } = request;
  if (!extraSystem) return chat as ChatRequest;
  return {
    ...(chat as ChatRequest),
    system: chat.system ? `${chat.system}\n\n${extraSystem}` : extraSystem,
  };
}
