const SUFFIXES: readonly (readonly [string, string])[] = [
  ['ations', ''],
  ['ation', ''],
  ['ings', ''],
  ['ing', ''],
  ['ies', 'y'],
  ['ied', 'y'],
  ['ed', ''],
  ['es', ''],
  ['s', ''],
];

/**
 * Words whose stem would mislead: "explaining" is nearly always a participle
 * ("comments explaining each step"), not a request to explain.
 */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([['explaining', 'explaining']]);

/**
 * A deliberately crude stemmer: strips one common English suffix, then a
 * final "e", so that "optimize", "optimized", "optimizing" and
 * "optimization" all become "optimiz". It only has to be consistent, since
 * the lexicon is stemmed with the same function.
 */
export function stem(word: string): string {
  const exception = EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  let w = word;
  if (w.length > 3) {
    for (const [suffix, replacement] of SUFFIXES) {
      if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
        w = w.slice(0, w.length - suffix.length) + replacement;
        break;
      }
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Words keep `+`, `#`, `'` and inner dots (c++, c#, don't, node.js); hyphens split compounds. */
const WORD = /[a-z][a-z0-9+#'.]*[a-z0-9+#]|[a-z]/g;

/** Lower-cased prose to stems, in order. */
export function stems(prose: string): string[] {
  const words = prose.match(WORD) ?? [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    if (word.endsWith("'s")) word = word.slice(0, -2);
    words[i] = stem(word);
  }
  return words;
}
