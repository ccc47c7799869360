import { describe, expect, it } from 'vitest';
import { loadLabelledPrompts } from './__fixtures__/load-labelled-prompts.js';
import { isWordChar, wordStartPrefixes } from './feature-gate.js';
import { splitPrompt } from './split-prompt.js';
import { TASK_FEATURES } from './task-features.js';

describe('wordStartPrefixes', () => {
  it('reads word alternations, groups, classes and escaped literals', () => {
    expect(wordStartPrefixes(/\b(?:write|create) (?:a|the)\b|\bhi\b/)).toEqual(
      new Set(['wri', 'cre', 'hi']),
    );
    expect(wordStartPrefixes(/\banaly[sz]e\b|\bo\(n\)/)).toEqual(new Set(['ana', 'o(n']));
    expect(wordStartPrefixes(/\btakes? (?:\d+)/)).toEqual(new Set(['tak']));
  });

  it('gives up on what it cannot bound', () => {
    expect(wordStartPrefixes(/^\s*continue\b/)).toBeUndefined();
    expect(wordStartPrefixes(/\bfoo|bar/)).toBeUndefined();
    expect(wordStartPrefixes(/\b\d+ ms/)).toBeUndefined();
    expect(wordStartPrefixes(/\ba?b/)).toBeUndefined();
    expect(wordStartPrefixes(/\bfoo/i)).toBeUndefined();
    expect(wordStartPrefixes(/\b(?=x)xy/)).toBeUndefined();
  });

  // The classifier skips a cue unless a word of the prose starts with one of its prefixes:
  // that must never skip a cue that would have matched.
  it('admits every match of every phrase cue on the labelled prompts', () => {
    for (const { prompt } of loadLabelledPrompts()) {
      const prose = splitPrompt(prompt).prose;
      const starts = new Set<string>();
      for (let p = 0; p < prose.length; p++) {
        if (!isWordChar(prose.charCodeAt(p))) continue;
        if (p > 0 && isWordChar(prose.charCodeAt(p - 1))) continue;
        starts.add(prose.slice(p, p + 2));
        starts.add(prose.slice(p, p + 3));
      }
      for (const feature of TASK_FEATURES) {
        const prefixes = wordStartPrefixes(feature.pattern);
        if (prefixes === undefined || !feature.pattern.test(prose)) continue;
        expect(
          [...prefixes].some((x) => starts.has(x)),
          `${feature.name}: ${prompt}`,
        ).toBe(true);
      }
    }
  });
});
