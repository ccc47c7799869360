import { describe, expect, it } from 'vitest';
import { limitToMicros, microsToUsd, usdToMicros } from './money.js';

describe('money', () => {
  it('converts USD to micro-dollars without float noise adding a micro', () => {
    expect(usdToMicros(0.1)).toBe(100_000);
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicros(1.15)).toBe(1_150_000);
    expect(usdToMicros(0.0000011)).toBe(2); // 1.1 micro rounds up
    expect(usdToMicros(0)).toBe(0);
  });

  it('rounds limits down and keeps Infinity', () => {
    expect(limitToMicros(1)).toBe(1_000_000);
    expect(limitToMicros(0.0000019)).toBe(1);
    expect(limitToMicros(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('sums exactly where floats drift', () => {
    let float = 0;
    let micros = 0;
    for (let i = 0; i < 10; i++) {
      float += 0.1;
      micros += usdToMicros(0.1);
    }
    expect(float).not.toBe(1);
    expect(microsToUsd(micros)).toBe(1);
  });

  it('refuses non-finite amounts', () => {
    expect(() => usdToMicros(Number.NaN)).toThrow(RangeError);
    expect(() => usdToMicros(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
