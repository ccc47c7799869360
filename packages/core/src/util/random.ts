/** A source of uniform numbers in [0, 1). Injectable so randomized choices are reproducible. */
export type Random = () => number;

/**
 * mulberry32: a tiny, fast 32-bit PRNG with good statistical quality for
 * simulation and tie-breaking (not for secrets). Eight lines do not justify a
 * dependency.
 */
export function createSeededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
