/**
 * Recent requests by id, for `feedback`: at least the last `max`, at most the
 * last 2 × `max`. Two generations of a plain map: new ids go into the current
 * one, and when it holds `max` ids it becomes the previous one (the one before
 * is dropped whole). This replaces an LRU cache on the engine's hot path, where
 * its bookkeeping (recency lists, disposal hooks) and then a ring of
 * deletions each cost more per request than the whole accounting: a window of
 * recent requests needs neither recency nor one deletion per insertion.
 */
export class RecentRequests<V> {
  readonly #max: number;
  #current = new Map<string, V>();
  #previous = new Map<string, V>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`feedbackWindow must be a positive integer, got ${String(max)}`);
    }
    this.#max = max;
  }

  /** Ids held (between `max` and 2 × `max` once that many were seen). */
  get size(): number {
    let size = this.#current.size;
    for (const id of this.#previous.keys()) if (!this.#current.has(id)) size++;
    return size;
  }

  get(id: string): V | undefined {
    const value = this.#current.get(id);
    return value !== undefined ? value : this.#previous.get(id);
  }

  set(id: string, value: V): void {
    const current = this.#current;
    if (current.size >= this.#max && !current.has(id)) {
      this.#previous = current;
      this.#current = new Map([[id, value]]);
      return;
    }
    current.set(id, value);
  }
}
