import { describe, expect, it } from 'vitest';
import { loadLabelledPrompts } from './__fixtures__/load-labelled-prompts.js';
import { COMPLEXITY_TERMS } from './complexity-terms.js';
import { groupAlternativesByFirstChar, leadingCharsOf } from './regex-alternation.js';
import { splitPrompt } from './split-prompt.js';

describe('groupAlternativesByFirstChar', () => {
  it('groups alternatives by first character, keeping their order within a group', () => {
    const grouped = groupAlternativesByFirstChar(/\b(?:ab|b|a|abc|b\w+)\b/g);
    expect(grouped.source).toBe('\\b(?:a(?:b||bc)|b(?:|\\w+))\\b');
    expect(grouped.flags).toBe('g');
    for (const text of ['ab abc a b bx', 'abc ab', 'bb b a']) {
      expect(text.match(grouped)).toEqual(text.match(/\b(?:ab|b|a|abc|b\w+)\b/g));
    }
  });

  it('leaves alone what it does not fully understand', () => {
    for (const pattern of [
      /\b(?:a|\d+)\b/,
      /\b(?:a|[xy]z)\b/,
      /\b(?:a|(?:b|c)d)\b/,
      /\b(?:a?b|c)\b/,
      /\b(?:ab)\b|c/,
      /^(?:ab|cd)$/,
    ]) {
      expect(groupAlternativesByFirstChar(pattern)).toBe(pattern);
    }
  });

  it('finds exactly what the complexity vocabularies find, on every labelled prompt', () => {
    const proses = loadLabelledPrompts().map((p) => splitPrompt(p.prompt).prose);
    proses.push('µs-level p99.9 latencies, 10µs budget, tla+ spec, c++ raft in rust, k8s, e2e, s3');
    for (const pattern of Object.values(COMPLEXITY_TERMS)) {
      const grouped = groupAlternativesByFirstChar(pattern);
      expect(grouped).not.toBe(pattern);
      for (const prose of proses) expect(prose.match(grouped)).toEqual(prose.match(pattern));
    }
  });
});

describe('grouped task cues', () => {
  it('test true on exactly the labelled prompts the original cues do', async () => {
    const { TASK_FEATURES } = await import('./task-features.js');
    const proses = loadLabelledPrompts().map((p) => splitPrompt(p.prompt).prose);
    let grouped = 0;
    for (const feature of TASK_FEATURES) {
      const pattern = groupAlternativesByFirstChar(feature.pattern);
      if (pattern !== feature.pattern) grouped++;
      for (const prose of proses) expect(pattern.test(prose)).toBe(feature.pattern.test(prose));
    }
    expect(grouped).toBeGreaterThan(0);
  });
});

describe('leadingCharsOf', () => {
  it('lists the first characters of anchored alternatives, through nested groups', () => {
    const pattern =
      /^(?:document|annotate|(?:write|generate|create)\b[^.?!\n]{0,30}\b(?:docs?|readme)\b|jot down)/;
    expect([...(leadingCharsOf(pattern) ?? [])].sort()).toEqual(['a', 'c', 'd', 'g', 'j', 'w']);
    for (const text of ['document this', 'write the readme', 'jot down notes', 'explain']) {
      const first = leadingCharsOf(pattern)!.has(text.charAt(0));
      if (!first) expect(pattern.test(text)).toBe(false);
    }
  });

  it('gives up on anything not plain', () => {
    for (const pattern of [
      /^(?:\s|please)/,
      /^(?:a?b|c)/,
      /^(?:[ab]c|d)/,
      /^(?:(?:a|b)?c)/,
      /^(?:a|b)/i,
      /\b(?:a|b)/,
    ]) {
      expect(leadingCharsOf(pattern)).toBeUndefined();
    }
  });
});
