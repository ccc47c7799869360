import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { EchoModel } from '../__tests__/test-models.js';
import { lazySelection } from './lazy-selection.js';

// V8's own answers to "does this object keep fast (in-object) properties?" and
// "do these two share a hidden class?" (natives syntax is enabled before the
// checking functions are compiled).
setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (
  o: object,
) => boolean;
const fakeModel = (name: string) => new EchoModel({ name });
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

describe('lazySelection', () => {
  it('explains once, on first read, and reads as a plain own enumerable string', () => {
    const model = fakeModel('m');
    let calls = 0;
    const selection = lazySelection(model, 0.5, () => `picked m (${++calls})`);
    expect(calls).toBe(0);
    expect(Object.keys(selection)).toEqual(['model', 'score', 'reason']);
    expect(selection.reason).toBe('picked m (1)');
    expect(selection.reason).toBe('picked m (1)');
    expect(calls).toBe(1);
    expect({ ...selection }).toEqual({ model, score: 0.5, reason: 'picked m (1)' });
    expect(JSON.parse(JSON.stringify({ ...selection, model: model.name }))).toEqual({
      model: 'm',
      score: 0.5,
      reason: 'picked m (1)',
    });
    expect(Object.getOwnPropertyDescriptor(selection, 'reason')?.enumerable).toBe(true);
  });

  it('keeps each selection its own reason', () => {
    const one = lazySelection(fakeModel('a'), 1, () => 'one');
    const two = lazySelection(fakeModel('b'), 2, () => 'two');
    expect(two.reason).toBe('two');
    expect(one.reason).toBe('one');
  });

  it('keeps fast properties on one shared hidden class, read or not (a literal getter made a dictionary)', () => {
    const build = (i: number) => lazySelection(fakeModel(`m${i}`), i, () => `reason ${i}`);
    const first = build(0);
    expect(hasFastProperties(first)).toBe(true);
    for (let i = 1; i < 5; i++) {
      const other = build(i);
      if (i % 2 === 0) expect(other.reason).toBe(`reason ${i}`);
      expect(hasFastProperties(other)).toBe(true);
      expect(haveSameMap(first, other)).toBe(true);
    }
  });
});
