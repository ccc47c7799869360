import type { Model } from '../model/model.js';
import type { TaskType } from '../types/capabilities.js';
import type { CandidateSlots } from './candidate-table.js';

/** What a selector knows about the request it chooses for. */
export interface SelectionContext {
  readonly taskType?: TaskType | undefined;
  /** Estimated input tokens of the request. */
  readonly inputTokens: number;
  /** Expected output tokens of the request. */
  readonly outputTokens: number;
  /** Epoch ms, from the registry's clock. */
  readonly now: number;
}

/** A chosen model with its score (higher is better) and a sentence on why. */
export interface Selection {
  readonly model: Model;
  readonly score: number;
  readonly reason: string;
}

/**
 * Chooses among eligible models. `select` is on the hot path of every
 * request: implementations keep it allocation-light and linear.
 */
export interface ModelSelector {
  readonly name: string;
  /** The best of a non-empty list of candidates. */
  select(candidates: readonly Model[], context: SelectionContext): Selection;
  /**
   * Optional: the same choice as `select` over the same candidates, read
   * from a registry's columns (a non-empty set of slots in registration
   * order). The registry uses it when present; it must agree with `select`
   * (same model, score and reason).
   */
  selectFrom?(candidates: CandidateSlots, context: SelectionContext): Selection;
  /**
   * Every candidate, best first; used for fallback order. With `limit`, at
   * most that many (the best ones): implementations may skip the rest.
   */
  rank(candidates: readonly Model[], context: SelectionContext, limit?: number): Selection[];
  /** Learns from a reward in [0, 1] for `model` (learning selectors only). */
  update?(model: string, reward: number, taskType?: string): void;
  /** Forgets what was learned about `model` (on unregister). */
  forget?(model: string): void;
}
