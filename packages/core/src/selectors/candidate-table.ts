import type { Model } from '../model/model.js';
import type { TaskType } from '../types/capabilities.js';

/**
 * The figures selection reads for every registered model, one typed array
 * per figure, indexed by slot (registration order). The registry keeps them
 * current (static ones on register, live ones whenever a model's metrics
 * change), so a selector scans a few dense arrays instead of touching the
 * Model, its pricing, capabilities and metrics objects for each candidate —
 * among thousands of models those scattered reads were most of the time.
 *
 * The registry brings the live figures up to date before it hands the table
 * to a selector; read them during that call only.
 *
 * "Undefined" figures are stored as NaN. Every figure is the exact value the
 * object-based estimates (estimates.ts) read, so a selector computes the same
 * numbers, bit for bit, from either.
 */
export interface CandidateTable {
  /** The model in each slot. Replaced, never shrunk in place, so a captured reference stays valid. */
  readonly models: readonly Model[];
  readonly inputPerMillion: Float64Array;
  readonly outputPerMillion: Float64Array;
  /** `pricing.perRequest ?? 0`. */
  readonly perRequest: Float64Array;
  /** `capabilities.qualityScore`. */
  readonly qualityScore: Float64Array;
  /** `capabilities.firstTokenLatencyMs`, NaN when undeclared. */
  readonly firstTokenLatencyMs: Float64Array;
  /** `capabilities.tokensPerSecond`, NaN when undeclared. */
  readonly declaredTokensPerSecond: Float64Array;
  /** `metrics.latencyEwmaMs`, NaN before any success. */
  readonly latencyEwmaMs: Float64Array;
  /** `metrics.tokensPerSecond`, NaN when never measured. */
  readonly liveTokensPerSecond: Float64Array;
  /** `metrics.meanReward`, NaN before any reward. */
  readonly meanReward: Float64Array;
  readonly requests: Float64Array;
  readonly successes: Float64Array;
  /**
   * The prior quality for a task per slot: `qualityByTask[task]` where
   * declared, else `qualityScore` (which is what `undefined` gives).
   */
  priorQuality(taskType: TaskType | undefined): Float64Array;
}

/**
 * The candidates of one selection: `count` slots of `table`, in registration
 * order. `slots` is scratch the registry reuses on its next selection: read
 * it during `selectFrom` only (copy what a lazily written reason needs).
 */
export interface CandidateSlots {
  readonly table: CandidateTable;
  readonly slots: Int32Array;
  readonly count: number;
}
