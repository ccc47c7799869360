type Listener<E> = (event: E) => void;

/**
 * A tiny typed event channel: listeners by event type, or `*` for all.
 * A listener that throws is skipped, never breaking what emitted the event.
 */
export class ListenerSet<E extends { readonly type: string }> {
  private readonly byType = new Map<string, Set<Listener<E>>>();

  on<T extends E['type'] | '*'>(
    type: T,
    listener: (event: T extends '*' ? E : Extract<E, { type: T }>) => void,
  ): () => void {
    let set = this.byType.get(type);
    if (!set) {
      set = new Set();
      this.byType.set(type, set);
    }
    set.add(listener as Listener<E>);
    return () => this.off(type, listener);
  }

  off<T extends E['type'] | '*'>(
    type: T,
    listener: (event: T extends '*' ? E : Extract<E, { type: T }>) => void,
  ): void {
    this.byType.get(type)?.delete(listener as Listener<E>);
  }

  emit(event: E): void {
    for (const key of [event.type, '*']) {
      const set = this.byType.get(key);
      if (!set) continue;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch {
          // A faulty listener must not fail a pull that other callers wait for.
        }
      }
    }
  }
}
