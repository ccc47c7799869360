import type { Model } from '../model/model.js';
import type { CandidateSlots } from './candidate-table.js';
import { lazySelection } from './lazy-selection.js';
import type { ModelSelector, Selection, SelectionContext } from './model-selector.js';

/**
 * A selector defined by a score per model (higher is better). `select` is a
 * single linear pass without allocation beyond the result; ties keep the
 * earlier candidate, so results are deterministic. Reasons are written
 * lazily, when read (see `explain`).
 */
export abstract class ScoringSelector<State = undefined> implements ModelSelector {
  abstract readonly name: string;

  /**
   * Computes anything the scores need across all candidates (e.g. ranges,
   * or per-candidate figures that `score` then reads by `index`, so nothing
   * is estimated twice).
   */
  protected prepare(_candidates: readonly Model[], _context: SelectionContext): State {
    return undefined as State;
  }

  /** `index` is the model's position in the candidates `prepare` saw. */
  protected abstract score(
    model: Model,
    context: SelectionContext,
    state: State,
    index: number,
  ): number;

  /**
   * Called lazily, when a reason is read: figures that change as outcomes
   * arrive (latency, observed quality) should come from `state` (by
   * `index`), captured while scoring, so the reason describes the choice.
   */
  protected abstract explain(
    model: Model,
    score: number,
    context: SelectionContext,
    state: State,
    index: number,
  ): string;

  select(candidates: readonly Model[], context: SelectionContext): Selection {
    const state = this.prepare(candidates, context);
    let best = candidates[0];
    if (!best) throw new RangeError('select() needs at least one candidate');
    let bestIndex = 0;
    let bestScore = this.score(best, context, state, 0);
    for (let i = 1; i < candidates.length; i++) {
      const model = candidates[i]!;
      const s = this.score(model, context, state, i);
      if (s > bestScore) {
        best = model;
        bestIndex = i;
        bestScore = s;
      }
    }
    // The reason is written when read (the registry's select() never reads it).
    const chosen = best;
    const score = bestScore;
    return lazySelection(chosen, score, () =>
      this.explain(chosen, score, context, state, bestIndex),
    );
  }

  /**
   * From a registry's columns: this generic form just lists the models and
   * runs `select`; the built-in selectors override it to score the columns.
   */
  selectFrom(candidates: CandidateSlots, context: SelectionContext): Selection {
    return this.select(modelsOf(candidates), context);
  }

  rank(candidates: readonly Model[], context: SelectionContext, limit?: number): Selection[] {
    const state = this.prepare(candidates, context);
    const n = candidates.length;
    if (limit !== undefined && limit < n) return this.top(candidates, context, state, limit);
    const scored = candidates.map((model, index) => ({
      model,
      index,
      score: this.score(model, context, state, index),
    }));
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return scored.map(({ model, score, index }) =>
      lazySelection(model, score, () => this.explain(model, score, context, state, index)),
    );
  }

  /**
   * The `limit` best, in rank order, by repeated selection (O(limit·n), no
   * sort and no entry per candidate): the engine wants two or three
   * fallbacks out of however many models are eligible. Same order as the
   * sort: higher score first, ties by position.
   */
  private top(
    candidates: readonly Model[],
    context: SelectionContext,
    state: State,
    limit: number,
  ): Selection[] {
    const scores: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const s = this.score(candidates[i]!, context, state, i);
      // NaN ranks last (the sort's comparator leaves it wherever; this is one consistent place).
      scores.push(Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s);
    }
    const out: Selection[] = [];
    // Each pick is the best candidate strictly after the previous pick in rank order
    // (score descending, then position), so nothing needs marking as taken.
    let prev = -1;
    while (out.length < limit) {
      let best = -1;
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        if (prev !== -1) {
          const p = scores[prev]!;
          if (s > p || (s === p && i <= prev)) continue;
        }
        if (best === -1 || s > scores[best]!) best = i;
      }
      if (best === -1) break;
      prev = best;
      const model = candidates[best]!;
      const score = scores[best]!;
      const index = best;
      out.push(
        lazySelection(model, score, () => this.explain(model, score, context, state, index)),
      );
    }
    return out;
  }
}

/** The models in the given slots, in order. */
export function modelsOf(c: CandidateSlots): Model[] {
  const models = c.table.models;
  const out: Model[] = [];
  for (let k = 0; k < c.count; k++) out.push(models[c.slots[k]!]!);
  return out;
}
