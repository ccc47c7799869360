import type { Model } from '../model/model.js';
import type { Selection } from './model-selector.js';

/**
 * A selection whose `reason` is written on first read. Ranking explains
 * every candidate, but callers mostly read the head's reason, if any:
 * formatting the rest (`toFixed`, template strings) cost more than ranking
 * itself. `reason` is an own enumerable accessor after `model` and `score`,
 * so spreading, `Object.keys`, comparing and serializing the selection see a
 * plain string, in the order the fields always had.
 *
 * Not a getter in an object literal: on Node 20 (V8 11.3) such a literal,
 * with a getter closure of its own per evaluation, is built in dictionary
 * mode (checked with %HasFastProperties: false), so every selection carried
 * a property hash table of its own besides the closure. The technique is
 * engine/routing-decision.ts's for the routing decision: the pending
 * `explain` sits in a private field, and one shared accessor is defined with
 * one shared descriptor, so every selection keeps fast properties on the
 * same hidden class (lazy-selection.test.ts checks both).
 */
// The one accessor every selection shares, set in the class body (it reads the private field).
let REASON: PropertyDescriptor;

class LazySelection {
  #reason: string | (() => string);

  constructor(model: Model, score: number, explain: () => string) {
    this.#reason = explain;
    const self = this as unknown as { model: Model; score: number };
    self.model = model;
    self.score = score;
    Object.defineProperty(this, 'reason', REASON);
  }

  static {
    REASON = {
      get(this: LazySelection): string {
        if (typeof this.#reason !== 'string') this.#reason = this.#reason();
        return this.#reason;
      },
      enumerable: true,
      configurable: true,
    };
  }
}

/** A selection of `model` at `score` whose reason is `explain()`, called at most once, when first read. */
export function lazySelection(model: Model, score: number, explain: () => string): Selection {
  return new LazySelection(model, score, explain) as unknown as Selection;
}
