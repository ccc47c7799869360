import type { Capability, TaskType } from '../types/capabilities.js';

/** Defaults used when the criteria give no token counts for cost estimates. */
export const DEFAULT_ESTIMATED_INPUT_TOKENS = 1_000;
export const DEFAULT_ESTIMATED_OUTPUT_TOKENS = 500;

export interface SelectionCriteria {
  /** Capabilities the model must have, all of them. */
  readonly capabilities?: readonly Capability[];
  /** Most the request may cost in USD, at the estimated token counts. */
  readonly maxCost?: number;
  /** Least output speed in tokens/s; models with no speed figure at all are not ruled out. */
  readonly minSpeed?: number;
  /** Context the request needs in tokens (input plus output). */
  readonly contextLength?: number;
  readonly excludeModels?: readonly string[];
  /**
   * The task. A model qualifies when it declares no task types (general
   * purpose), or declares this one, or the task is `general`.
   */
  readonly taskType?: TaskType;
  /** Only models of these providers. */
  readonly providers?: readonly string[];
  /** Estimated input tokens, for cost; default 1,000. */
  readonly inputTokens?: number;
  /** Expected output tokens, for cost; default 500. */
  readonly outputTokens?: number;
  /** Consider models whose circuit breaker refuses calls too (for route previews). */
  readonly includeUnavailable?: boolean;
}
