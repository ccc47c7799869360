/**
 * Own enumerable properties whose value is computed on first read, without
 * a getter in an object literal. On Node 20 (V8 11.3) every evaluation of a
 * literal such as `{ get reason() { … } }` gives the object a hidden class of
 * its own, allocated in old space; until the next full GC that dead hidden
 * class keeps the getter's closure, and everything the closure reaches (a
 * request's whole routing decision), alive through every scavenge. Measured
 * on the engine: about 2.5 KB promoted to old space per routed request, and
 * most of its GC time.
 *
 * Here each property name has ONE shared getter, defined with one shared
 * descriptor, so every object built the same way follows the same hidden-class
 * transitions. The pending computation sits in a non-enumerable symbol slot
 * (a plain data property) that the getter overwrites with the value on first
 * read. Spreading, `JSON.stringify`, `structuredClone` and `toEqual` see a
 * plain value, as they did with the literal getter.
 */

interface Lazy {
  readonly slot: symbol;
  readonly getter: PropertyDescriptor;
}

const lazies = new Map<string, Lazy>();

function lazyOf(name: string): Lazy {
  let lazy = lazies.get(name);
  if (lazy === undefined) {
    const slot = Symbol(`lazy ${name}`);
    lazy = {
      slot,
      getter: {
        get(this: Record<symbol, unknown>): unknown {
          const held = this[slot];
          if (typeof held !== 'function') return held;
          const value: unknown = held();
          this[slot] = value;
          return value;
        },
        enumerable: true,
        configurable: true,
      },
    };
    lazies.set(name, lazy);
  }
  return lazy;
}

/** Reused for every slot (filled and emptied around one synchronous call). */
const SLOT: PropertyDescriptor = {
  value: undefined,
  writable: true,
  enumerable: false,
  configurable: true,
};

/**
 * Adds `name` to `target` as an own enumerable, configurable getter that
 * returns `compute()`, called at most once. The value must not itself be a
 * function. Define the properties of a kind of object in the same order every
 * time, so that its objects share hidden classes.
 */
export function defineLazy<T>(target: object, name: string, compute: () => T): void {
  const lazy = lazyOf(name);
  SLOT.value = compute;
  Object.defineProperty(target, lazy.slot, SLOT);
  SLOT.value = undefined;
  Object.defineProperty(target, name, lazy.getter);
}
