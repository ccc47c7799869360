/**
 * The last `max` requests by id, for `feedback`: a map plus a ring of ids in
 * insertion order, the oldest forgotten when a new one arrives. It replaces
 * an LRU cache on the engine's hot path, where its bookkeeping (recency
 * lists, disposal hooks) cost more per request than the whole accounting; a
 * window of recent requests needs no recency. An id seen again keeps its
 * first place in the window and takes the new value.
 */
export class RecentRequests<V> {
  readonly #max: number;
  readonly #byId = new Map<string, V>();
  readonly #ring: (string | undefined)[] = [];
  #next = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`feedbackWindow must be a positive integer, got ${String(max)}`);
    }
    this.#max = max;
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): V | undefined {
    return this.#byId.get(id);
  }

  set(id: string, value: V): void {
    const byId = this.#byId;
    if (byId.has(id)) {
      byId.set(id, value);
      return;
    }
    const slot = this.#next;
    const oldest = this.#ring[slot];
    if (oldest !== undefined) byId.delete(oldest);
    if (slot < this.#ring.length) this.#ring[slot] = id;
    else this.#ring.push(id);
    this.#next = slot + 1 === this.#max ? 0 : slot + 1;
    byId.set(id, value);
  }
}
