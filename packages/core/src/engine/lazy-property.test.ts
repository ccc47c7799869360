import { describe, expect, it } from 'vitest';
import { defineLazy } from './lazy-property.js';

describe('defineLazy', () => {
  it('computes once, on first read, and looks like a plain own property', () => {
    let calls = 0;
    const target: Record<string, unknown> = { a: 1 };
    defineLazy(target, 'reason', () => {
      calls++;
      return `computed ${calls}`;
    });
    target.b = 2;
    expect(calls).toBe(0);
    expect(Object.keys(target)).toEqual(['a', 'reason', 'b']);
    expect(target.reason).toBe('computed 1');
    expect(target.reason).toBe('computed 1');
    expect(calls).toBe(1);
    expect({ ...target }).toEqual({ a: 1, reason: 'computed 1', b: 2 });
    expect(JSON.parse(JSON.stringify(target))).toEqual({ a: 1, reason: 'computed 1', b: 2 });
    expect(structuredClone(target)).toEqual({ a: 1, reason: 'computed 1', b: 2 });
    expect(Object.getOwnPropertySymbols({ ...target })).toEqual([]);
  });

  it('keeps each object its own value', () => {
    const one = {};
    const two = {};
    defineLazy(one, 'reason', () => 'one');
    defineLazy(two, 'reason', () => 'two');
    expect((two as { reason: string }).reason).toBe('two');
    expect((one as { reason: string }).reason).toBe('one');
  });
});
