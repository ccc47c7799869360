import type { FaultScript } from '../fault-script.js';

/**
 * A fault script with the parts only Anthropic's wire protocol has. It is a
 * `FaultScript`, so it is queued with `FakeAnthropicServer.enqueue` as usual.
 *
 * Usage in a script keeps the normalized meaning: `usage.inputTokens` counts
 * every input token, cached ones included; the fake splits it into Anthropic's
 * `input_tokens` + `cache_read_input_tokens` + `cache_creation_input_tokens`.
 */
export interface AnthropicFaultScript extends FaultScript {
  /** Thinking text to stream as a `thinking` block before the answer. */
  readonly thinking?: string;
  /** Input tokens written to the prompt cache (`cache_creation_input_tokens`). */
  readonly cacheCreationInputTokens?: number;
  /** Report that this stop sequence ended the answer (`stop_reason: "stop_sequence"`). */
  readonly stopSequence?: string;
  /**
   * Send an `event: error` after this many events of a 200 stream, then end it.
   * `overloadedEvent` is the same with `afterEvents: 0` and `overloaded_error`.
   */
  readonly errorEvent?: {
    readonly afterEvents: number;
    readonly type?: string;
    readonly message?: string;
  };
  /** The `request-id` to answer with (default: a generated one). */
  readonly requestId?: string;
}
