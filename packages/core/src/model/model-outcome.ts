/** What happened on one call to a model; fed to `ModelRegistry.record`. */
export interface ModelOutcome {
  readonly success: boolean;
  /** Wall time of the call in milliseconds. */
  readonly latencyMs: number;
  /** Time to the first streamed token, when streamed. */
  readonly timeToFirstTokenMs?: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly costUsd?: number;
  /**
   * Reward in [0, 1] for the learning selectors. When absent the registry
   * forms one: 0 on failure, and on success a mix of prior quality, speed and
   * cost (see `defaultReward`).
   */
  readonly reward?: number;
  /** The error of a failed call: its code and message. */
  readonly error?: { readonly code: string; readonly message: string; readonly status?: number };
  /** Task type of the request, when known; lets selectors learn per task. */
  readonly taskType?: string;
}
