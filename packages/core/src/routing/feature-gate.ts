import { closingParen, splitTopLevel } from './regex-source.js';

/**
 * A cheap, exact pre-check for the phrase-cue regexes. Most cues are
 * alternations of words that start at a word boundary (`\b(?:write|create|…)`),
 * so a cue can only match where a word of the prompt begins with one of a
 * few prefixes of three characters (two for short words such as "hi"). `wordStartPrefixes` derives those prefixes
 * from a regex's source, and gives up (returns undefined: always run the
 * regex) on anything it does not fully understand: alternatives that do
 * not start with `\b`, optional or repeated first characters, classes such
 * as `\d` or `.`, lookarounds, capture groups, flags.
 */

/**
 * Strings of two or three characters such that every match of `pattern`
 * starts, at a word start, with one of them; undefined when unknown.
 */
export function wordStartPrefixes(pattern: RegExp): Set<string> | undefined {
  if (pattern.flags !== '') return undefined;
  const out = new Set<string>();
  const alternatives = splitTopLevel(pattern.source);
  if (alternatives === undefined) return undefined;
  for (const alternative of alternatives) {
    if (!alternative.startsWith('\\b')) return undefined;
    const prefixes = prefixesOf(alternative.slice(2), '');
    if (prefixes === undefined) return undefined;
    for (const p of prefixes) {
      if (!/^\w/.test(p)) return undefined;
      out.add(p);
    }
  }
  return out.size > 0 ? out : undefined;
}

const PREFIX_LENGTH = 3;

/**
 * Numeric key of the two characters at `at` (no string is built on the hot
 * path). ASCII pairs, all that real prefixes hold, get a small integer (a Smi:
 * no heap number is allocated and the Map hashes it directly); anything else
 * a larger number that no ASCII key can equal.
 */
export function pairKey(text: string, at: number): number {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  if ((a | b) < 128) return PAIR_TAG | (a << 7) | b;
  return a * 65_536 + b + WIDE;
}

/** Numeric key of the three characters at `at`, as `pairKey` does for two. */
export function tripleKey(text: string, at: number): number {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  const c = text.charCodeAt(at + 2);
  if ((a | b | c) < 128) return (a << 14) | (b << 7) | c;
  return (a * 65_536 + b) * 65_536 + c + WIDE;
}

/** Sets pair keys apart from triple keys (which stay below 2^21). */
const PAIR_TAG = 1 << 22;
/** Keys with a non-ASCII character start above every ASCII key. */
const WIDE = 1 << 23;

/** The key of a prefix of two or three characters, as `pairKey` or `tripleKey` computes it. */
export function prefixKey(prefix: string): number {
  return prefix.length === 2 ? pairKey(prefix, 0) : tripleKey(prefix, 0);
}

/** True for what `\w` matches. */
export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

const ESCAPED_LITERALS = new Set([
  '.',
  '(',
  ')',
  '/',
  '+',
  '?',
  '-',
  '*',
  '[',
  ']',
  '{',
  '}',
  '|',
  '\\',
  '^',
  '$',
]);

/** True when the atom ending before `at` may be skipped or repeated (`?`, `*`, `+`, `{`). */
function quantified(source: string, at: number): boolean {
  const c = source[at];
  return c === '?' || c === '*' || c === '+' || c === '{';
}

/**
 * Prefixes (PREFIX_LENGTH characters, or two where the literal part is that
 * short) of what `source` can match, given `acc` already matched.
 */
function prefixesOf(source: string, acc: string): string[] | undefined {
  const short = prefixesOfFull(source, acc);
  if (short !== undefined) return short;
  return acc.length >= 2 ? [acc] : undefined;
}

function prefixesOfFull(source: string, acc: string): string[] | undefined {
  if (acc.length >= PREFIX_LENGTH) return [acc.slice(0, PREFIX_LENGTH)];
  if (source.length === 0) return undefined;
  const c = source[0]!;
  if (c === '\\') {
    const e = source[1];
    if (e === undefined) return undefined;
    if (e === 'b') return prefixesOf(source.slice(2), acc);
    if (!ESCAPED_LITERALS.has(e) || quantified(source, 2)) return undefined;
    return prefixesOf(source.slice(2), acc + e);
  }
  if (c === '(') {
    if (!source.startsWith('(?:')) return undefined;
    const end = closingParen(source, 0);
    if (end === undefined || quantified(source, end + 1)) return undefined;
    const rest = source.slice(end + 1);
    const inners = splitTopLevel(source.slice(3, end));
    if (inners === undefined) return undefined;
    const out: string[] = [];
    for (const inner of inners) {
      const p = prefixesOf(inner + rest, acc);
      if (p === undefined) return undefined;
      out.push(...p);
    }
    return out;
  }
  if (c === '[') {
    const end = source.indexOf(']');
    if (end === -1) return undefined;
    const members = source.slice(1, end);
    if (!/^[a-z0-9 ]+$/.test(members) || quantified(source, end + 1)) return undefined;
    const rest = source.slice(end + 1);
    const out: string[] = [];
    for (const m of members) {
      const p = prefixesOf(rest, acc + m);
      if (p === undefined) return undefined;
      out.push(...p);
    }
    return out;
  }
  if ('.^$|)?*+{}]'.includes(c) || quantified(source, 1)) return undefined;
  return prefixesOf(source.slice(1), acc + c);
}
