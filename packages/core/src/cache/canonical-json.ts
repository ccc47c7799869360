/**
 * Keys that are dropped wherever they appear. They are the prototype-pollution
 * vectors; the gateway's rule is that they change nothing, so a key built with
 * them must equal the key built without them. Since the canonical form is
 * written straight into a string and never assigned into an object, nothing
 * can be polluted while building it either.
 */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper nesting than this is not a real request; refusing it also bounds recursion. */
export const MAX_CANONICAL_DEPTH = 200;

/** Thrown for values that have no canonical form (cycles, absurd depth). */
export class CanonicalizationError extends TypeError {}

/**
 * Deterministic JSON: object keys sorted by code unit, `undefined`,
 * functions and symbols dropped (as `JSON.stringify` does), non-finite
 * numbers, bigints and dates written as tagged strings so they never
 * collide with ordinary values, and `-0` written as `0`. Two values that are
 * equal as data produce the same text whatever their key order.
 */
export function canonicalJson(value: unknown): string {
  return writeCanonical(value, [], 0);
}

/**
 * The canonical text of `value` nested `depth` levels down, below the objects
 * in `ancestors` (a cycle is a value that is its own ancestor). The text is
 * built by concatenation (V8 ropes) and each object's keys sorted in place:
 * the cache key of every request is built here, and the earlier array of
 * parts, `Set` of visited objects and comparator-less `sort()` cost about
 * 3 µs for a one-message request. Callers that write a known envelope around
 * user values (see `cache-key.ts`) pass the depth the envelope puts them at.
 * @internal
 */
export function writeCanonical(value: unknown, ancestors: object[], depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value)
        ? String(value === 0 ? 0 : value)
        : JSON.stringify(`\u0000num:${value}`);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(`\u0000big:${value.toString()}`);
    case 'object':
      break;
    default:
      // undefined, functions, symbols: absent, as in JSON.
      return 'null';
  }
  if (value === null) return 'null';
  if (depth >= MAX_CANONICAL_DEPTH) throw new CanonicalizationError('value is nested too deeply');
  // The ancestors are at most MAX_CANONICAL_DEPTH and in practice a handful: a
  // linear scan beats hashing into a Set.
  if (ancestors.includes(value)) throw new CanonicalizationError('value contains a cycle');
  if (value instanceof Date) {
    return JSON.stringify(
      `\u0000date:${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()}`,
    );
  }
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += writeCanonical(value[i], ancestors, depth + 1);
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    const keys = sortKeys(Object.keys(record));
    out = '{';
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (IGNORED_KEYS.has(key)) continue;
      const item = record[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out += first ? '' : ',';
      first = false;
      out += `${JSON.stringify(key)}:${writeCanonical(item, ancestors, depth + 1)}`;
    }
    out += '}';
  }
  ancestors.pop();
  return out;
}

/**
 * Sorts keys by UTF-16 code unit, as `Array.prototype.sort()` without a
 * comparator does for strings; an insertion sort for the few keys of a
 * typical object, the built-in sort beyond that.
 */
function sortKeys(keys: string[]): string[] {
  const n = keys.length;
  if (n > 16) return keys.sort();
  for (let i = 1; i < n; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}
