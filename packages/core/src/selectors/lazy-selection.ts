import type { Model } from '../model/model.js';
import type { Selection } from './model-selector.js';

/**
 * A selection whose `reason` is written on first read. Ranking explains
 * every candidate, but callers mostly read the head's reason, if any:
 * formatting the rest (`toFixed`, template strings) cost more than ranking
 * itself. `reason` is an own enumerable getter, so spreading, comparing and
 * serializing the selection see a plain string.
 */
export function lazySelection(model: Model, score: number, explain: () => string): Selection {
  let reason: string | undefined;
  return {
    model,
    score,
    get reason(): string {
      if (reason === undefined) reason = explain();
      return reason;
    },
  };
}
