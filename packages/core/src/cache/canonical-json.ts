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
  const parts: string[] = [];
  write(value, parts, new Set(), 0);
  return parts.join('');
}

function write(value: unknown, out: string[], seen: Set<object>, depth: number): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(
        Number.isFinite(value)
          ? String(value === 0 ? 0 : value)
          : JSON.stringify(`\u0000num:${value}`),
      );
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(JSON.stringify(`\u0000big:${value.toString()}`));
      return;
    case 'object':
      break;
    default:
      // undefined, functions, symbols: absent, as in JSON.
      out.push('null');
      return;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (depth >= MAX_CANONICAL_DEPTH) throw new CanonicalizationError('value is nested too deeply');
  if (seen.has(value)) throw new CanonicalizationError('value contains a cycle');
  if (value instanceof Date) {
    out.push(
      JSON.stringify(
        `\u0000date:${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()}`,
      ),
    );
    return;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out, seen, depth + 1);
    }
    out.push(']');
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      if (IGNORED_KEYS.has(key)) continue;
      const item = record[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(item, out, seen, depth + 1);
    }
    out.push('}');
  }
  seen.delete(value);
}
