// Reading a regex's source: the feature gate and the alternation rewriter both
// walk `(?:…|…)` groups, and must agree on where a group and an alternative end
// (escapes and character classes do not count).

/**
 * Walks `source` from `from`, skipping escapes and character classes, and
 * calls `visit` for each `(`, `)` and `|` with the group depth after it; stops
 * early when `visit` returns true. Returns whether the walk ended inside a
 * class (an unbalanced `[`).
 */
function walkGroups(
  source: string,
  from: number,
  visit: (index: number, char: string, depth: number) => boolean,
): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' || c === ')' || c === '|') {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      if (visit(i, c, depth)) return inClass;
    }
  }
  return inClass;
}

/**
 * The top-level alternatives of `source` (split on `|` outside groups and
 * classes), or undefined when its parentheses or classes do not balance.
 */
export function splitTopLevel(source: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  const inClass = walkGroups(source, 0, (i, c, d) => {
    depth = d;
    if (d < 0) return true;
    if (c === '|' && d === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  if (depth !== 0 || inClass) return undefined;
  parts.push(source.slice(start));
  return parts;
}

/** Index of the `)` closing the `(` at `open`, or undefined. */
export function closingParen(source: string, open: number): number | undefined {
  let found: number | undefined;
  walkGroups(source, open, (i, c, depth) => {
    if (c === ')' && depth === 0) found = i;
    return found !== undefined;
  });
  return found;
}
