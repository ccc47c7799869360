import type { FinishReason } from '@orchestrator/core';

/** Anthropic's `stop_reason` in the normalized union; the raw value is kept beside it. */
export function mapAnthropicFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // pause_turn (a server tool paused a long turn), null, and anything new.
      return 'other';
  }
}
