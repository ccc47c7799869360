import type { FinishReason } from '@orchestrator/core';

/**
 * Normalizes Chat Completions finish reasons. Some compatible servers say
 * `stop` even when the answer is tool calls, so tool calls win.
 */
export function mapOpenAIFinishReason(
  raw: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  switch (raw) {
    case 'stop':
    case 'eos':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return hasToolCalls ? 'tool_calls' : 'other';
  }
}
