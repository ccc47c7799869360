export interface FormatContextOptions {
  /** Most characters of the whole block, tags included. Default 4,000. */
  readonly maxChars?: number;
  /** Most facts (lines). Default 100. */
  readonly maxFacts?: number;
  /** Longest rendered value; longer ones are cut with "…". Default 500. */
  readonly maxValueChars?: number;
  /** Deepest nesting followed; deeper objects are summarised. Default 5. */
  readonly maxDepth?: number;
}

/** Keys that never become facts: they are prototype-pollution vectors, not data. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Renders structured facts as a text block to inject into a prompt:
 *
 * ```text
 * <context>
 * customer.name: "Ada Lovelace"
 * customer.plan: "enterprise"
 * open_tickets: 3
 * tags: ["vip","beta"]
 * orders[0].id: "A-17"
 * </context>
 * ```
 *
 * - One fact per line, `path: value`, keys sorted (code-unit order) at every
 *   level, so the same facts always give the same text (and the same cache key).
 * - Nested objects flatten to dotted paths, arrays of objects to `[i]`
 *   paths; arrays of plain values print inline as JSON.
 * - Values are JSON: strings are quoted and escaped, with `<` written as
 *   `\u003c`, so no value can close the block or start a new line: the
 *   facts stay data, whatever they contain. Keys outside `[A-Za-z0-9_-]`
 *   are quoted the same way.
 * - `undefined` and functions are skipped; `__proto__`, `constructor` and
 *   `prototype` keys are ignored; dates print as ISO strings, bigints as
 *   digits, cycles as `"[circular]"`.
 * - Bounded: values beyond `maxValueChars` are cut with `…`, nesting beyond
 *   `maxDepth` prints `"[object]"`, and past `maxFacts` or `maxChars` the
 *   block ends with `… (N more facts omitted)`.
 *
 * Returns an empty string when there are no facts.
 */
export function formatContext(
  context: Readonly<Record<string, unknown>>,
  options: FormatContextOptions = {},
): string {
  const limits = {
    maxChars: options.maxChars ?? 4_000,
    maxFacts: options.maxFacts ?? 100,
    maxValueChars: options.maxValueChars ?? 500,
    maxDepth: options.maxDepth ?? 5,
  };
  const facts: string[] = [];
  collect(context, '', 0, facts, new Set(), limits);
  if (facts.length === 0) return '';
  const open = '<context>';
  const close = '</context>';
  const lines: string[] = [open];
  let used = open.length + close.length + 2;
  let shown = 0;
  for (const fact of facts) {
    const reserve = 40; // room for the "omitted" line
    if (shown >= limits.maxFacts || used + fact.length + 1 + reserve > limits.maxChars) break;
    lines.push(fact);
    used += fact.length + 1;
    shown++;
  }
  if (shown < facts.length) lines.push(`… (${facts.length - shown} more facts omitted)`);
  lines.push(close);
  return lines.join('\n');
}

interface Limits {
  readonly maxChars: number;
  readonly maxFacts: number;
  readonly maxValueChars: number;
  readonly maxDepth: number;
}

function collect(
  value: unknown,
  path: string,
  depth: number,
  out: string[],
  seen: Set<object>,
  limits: Limits,
): void {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
  if (value === null || typeof value !== 'object' || value instanceof Date) {
    out.push(`${path}: ${render(value, limits)}`);
    return;
  }
  if (seen.has(value)) {
    out.push(`${path}: "[circular]"`);
    return;
  }
  if (depth >= limits.maxDepth) {
    out.push(`${path}: "[object]"`);
    return;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object' || item instanceof Date)) {
      out.push(`${path}: ${render(value, limits)}`);
    } else {
      value.forEach((item, i) => {
        collect(item, `${path}[${i}]`, depth + 1, out, seen, limits);
      });
    }
  } else {
    const keys = Object.keys(value)
      .filter((k) => !IGNORED_KEYS.has(k))
      .sort();
    if (keys.length === 0 && path !== '') out.push(`${path}: {}`);
    for (const key of keys) {
      const segment = PLAIN_KEY.test(key) ? key : escapeJson(JSON.stringify(key));
      collect(
        (value as Record<string, unknown>)[key],
        path === '' ? segment : `${path}.${segment}`,
        depth + 1,
        out,
        seen,
        limits,
      );
    }
  }
  seen.delete(value);
}

function render(value: unknown, limits: Limits): string {
  let text: string;
  if (value instanceof Date)
    text = JSON.stringify(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && !Number.isFinite(value))
    text = JSON.stringify(String(value));
  else
    text =
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ??
      'null';
  text = escapeJson(text);
  if (text.length <= limits.maxValueChars) return text;
  // Cut inside a string keeps it a (closed) string; anything else is cut plainly.
  const cut = text.slice(0, Math.max(1, limits.maxValueChars - 2)).replace(/\\[^"]{0,5}$/, '');
  return text.startsWith('"') ? `${cut}…"` : `${cut}…`;
}

/** JSON already escapes quotes, backslashes and control characters; `<` too keeps tags out. */
function escapeJson(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
