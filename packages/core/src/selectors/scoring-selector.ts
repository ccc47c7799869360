import type { Model } from '../model/model.js';
import type { ModelSelector, Selection, SelectionContext } from './model-selector.js';

/**
 * A selector defined by a score per model (higher is better). `select` is a
 * single linear pass without allocation beyond the result; ties keep the
 * earlier candidate, so results are deterministic.
 */
export abstract class ScoringSelector<State = undefined> implements ModelSelector {
  abstract readonly name: string;

  /** Computes anything the scores need across all candidates (e.g. ranges). */
  protected prepare(_candidates: readonly Model[], _context: SelectionContext): State {
    return undefined as State;
  }

  protected abstract score(model: Model, context: SelectionContext, state: State): number;

  protected abstract explain(
    model: Model,
    score: number,
    context: SelectionContext,
    state: State,
  ): string;

  select(candidates: readonly Model[], context: SelectionContext): Selection {
    const state = this.prepare(candidates, context);
    let best = candidates[0];
    if (!best) throw new RangeError('select() needs at least one candidate');
    let bestScore = this.score(best, context, state);
    for (let i = 1; i < candidates.length; i++) {
      const model = candidates[i]!;
      const s = this.score(model, context, state);
      if (s > bestScore) {
        best = model;
        bestScore = s;
      }
    }
    return { model: best, score: bestScore, reason: this.explain(best, bestScore, context, state) };
  }

  rank(candidates: readonly Model[], context: SelectionContext): Selection[] {
    const state = this.prepare(candidates, context);
    const scored = candidates.map((model, index) => ({
      model,
      index,
      score: this.score(model, context, state),
    }));
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return scored.map(({ model, score }) => ({
      model,
      score,
      reason: this.explain(model, score, context, state),
    }));
  }
}
