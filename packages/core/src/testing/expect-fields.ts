import assert from 'node:assert/strict';

/** Asserts that each field named in `expected` equals (deeply) the same field of `actual`. */
export function expectFields(
  actual: object,
  expected: Record<string, unknown>,
  what: string,
): void {
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual((actual as Record<string, unknown>)[key], value, `${what}: ${key}`);
  }
}

/** Deterministic PRNG (mulberry32), so randomized cases are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
