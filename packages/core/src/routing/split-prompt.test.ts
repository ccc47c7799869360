import { describe, expect, it } from 'vitest';
import { isUnfinished, promptOf, splitPrompt } from './split-prompt.js';
import { stem, stems } from './stem.js';

describe('splitPrompt', () => {
  it('separates prose from fenced code and counts code lines', () => {
    const parts = splitPrompt('Fix THIS:\n```js\nconst a = 1;\n\nconst b = 2;\n```\nthanks `a`');
    expect(parts.prose).toContain('fix this:');
    expect(parts.prose).not.toContain('const');
    expect(parts).toMatchObject({
      codeLines: 2,
      fencedBlocks: 1,
      inlineCode: 1,
      unfinishedCode: false,
    });
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(splitPrompt('```py\ndef f(x):\n').unfinishedCode).toBe(true);
  });
});

describe('isUnfinished', () => {
  it('spots open brackets, trailing colons and bodiless Python signatures', () => {
    expect(isUnfinished('function f() {\n  if (x) {')).toBe(true);
    expect(isUnfinished('for x in xs:')).toBe(true);
    expect(isUnfinished('def f(a):\n    """Doc."""\n')).toBe(true);
    expect(isUnfinished('def f(a):\n    return a\n')).toBe(false);
    expect(isUnfinished('const x = [1, 2];')).toBe(false);
  });
});

describe('promptOf', () => {
  it('takes the last user message, joining text parts', () => {
    expect(
      promptOf({
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'ok' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'image', url: 'x' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      }),
    ).toBe('a\n\nb');
    expect(promptOf({ messages: [] })).toBe('');
  });
});

describe('stem', () => {
  it('maps inflections to one stem', () => {
    expect(new Set(['optimize', 'optimized', 'optimizing', 'optimization'].map(stem)).size).toBe(1);
    expect(new Set(['test', 'tests', 'testing', 'tested'].map(stem)).size).toBe(1);
    expect(stem('explaining')).not.toBe(stem('explain'));
  });

  it('keeps c++, c#, node.js and contractions as words, and splits hyphens', () => {
    expect(stems("C++ c# node.js don't property-based".toLowerCase())).toEqual(
      ['c++', 'c#', 'node.js', "don't", 'property', 'based'].map(stem),
    );
  });
});
