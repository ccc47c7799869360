import { describe, expect, it } from 'vitest';
import { closingParen, splitTopLevel } from './regex-source.js';

describe('splitTopLevel', () => {
  it.each([
    ['a|b|c', ['a', 'b', 'c']],
    ['(?:a|b)|c', ['(?:a|b)', 'c']],
    ['[|]|x', ['[|]', 'x']],
    ['a\\|b|c', ['a\\|b', 'c']],
    ['[\\]|]|d', ['[\\]|]', 'd']],
    ['abc', ['abc']],
  ])('splits %s at its top-level bars', (source, parts) => {
    expect(splitTopLevel(source)).toEqual(parts);
  });

  it.each(['(a|b', 'a)|(b', '[ab|c', 'a)('])('refuses the unbalanced %s', (source) => {
    expect(splitTopLevel(source)).toBeUndefined();
  });
});

describe('closingParen', () => {
  it('finds the paren closing a group, past nested groups, escapes and classes', () => {
    const source = 'x(?:a(b)\\)[)]c)y';
    expect(closingParen(source, 1)).toBe(source.length - 2);
    expect(closingParen(source, 5)).toBe(7);
  });

  it('is undefined when the group never closes', () => {
    expect(closingParen('(a(b)', 0)).toBeUndefined();
  });
});
