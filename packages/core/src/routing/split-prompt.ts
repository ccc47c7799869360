import type { ChatRequest } from '../types/chat.js';

/** A prompt split into the words a person wrote and the code they pasted. */
export interface PromptParts {
  /** Prose, lower-cased, with fenced blocks removed and inline code kept (it is often the subject). */
  readonly prose: string;
  /** The contents of fenced code blocks, joined. */
  readonly code: string;
  /** Number of non-empty lines inside fenced blocks. */
  readonly codeLines: number;
  readonly fencedBlocks: number;
  /** Inline `code` spans in the prose. */
  readonly inlineCode: number;
  /** True when the last fenced block (or the whole prompt) ends mid-construct: open braces, a trailing `:` or `(`… */
  readonly unfinishedCode: boolean;
}

const FENCE = /```[^\n`]*\n?([\s\S]*?)(?:```|$)/g;
const INLINE = /`[^`]{1,400}`/g;

/**
 * Splits a prompt into prose and code; fast enough to run on every request.
 * The task classifier and the complexity analyzer both split the prompt of
 * the request being routed, one after the other: the last split is kept
 * (the parts are immutable strings and numbers, so sharing them is safe).
 */
export function splitPrompt(text: string): PromptParts {
  if (text === lastText && lastParts !== undefined) return lastParts;
  const parts = split(text);
  lastText = text;
  lastParts = parts;
  return parts;
}

let lastText: string | undefined;
let lastParts: PromptParts | undefined;

function split(text: string): PromptParts {
  // Most prompts have no fence and no backtick: then the regexes cannot match,
  // and the prose is the text.
  if (text.indexOf('`') === -1) {
    return {
      prose: text.toLowerCase(),
      code: '',
      codeLines: 0,
      fencedBlocks: 0,
      inlineCode: 0,
      unfinishedCode: false,
    };
  }
  const blocks: string[] = [];
  const prose = text.replace(FENCE, (_match, body: string) => {
    blocks.push(body);
    return ' ';
  });
  const code = blocks.join('\n');
  let codeLines = 0;
  for (const line of code.split('\n')) if (line.trim() !== '') codeLines++;
  const lastBlock = blocks.at(-1);
  return {
    prose: prose.toLowerCase(),
    code,
    codeLines,
    fencedBlocks: blocks.length,
    inlineCode: prose.match(INLINE)?.length ?? 0,
    unfinishedCode: lastBlock !== undefined ? isUnfinished(lastBlock) : false,
  };
}

/**
 * Code that stops before it is done: more openers than closers, or a last
 * line that announces a body (`:` in Python, `{`, `(`, `=>`, `,`).
 */
export function isUnfinished(code: string): boolean {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 123 || c === 40 || c === 91) depth++;
    else if (c === 125 || c === 41 || c === 93) depth--;
  }
  if (depth > 0) return true;
  const last = lastStatement(code);
  return /(?::|\{|\(|=>|,|=)$/.test(last);
}

/**
 * The last line that is code, skipping blank lines, comments, `pass`/`...`
 * and a trailing Python docstring, so a signature followed only by its
 * docstring reads as unfinished. A plain backwards walk: linear on any input.
 */
function lastStatement(code: string): string {
  const lines = code.split('\n');
  let i = lines.length - 1;
  let inDocstring = false;
  for (; i >= 0; i--) {
    const line = lines[i]!.trim();
    const quotes = (line.match(/"""|'''/g) ?? []).length;
    if (inDocstring) {
      if (quotes % 2 === 1) inDocstring = false;
      continue;
    }
    if (
      line === '' ||
      line.startsWith('#') ||
      line.startsWith('//') ||
      line === 'pass' ||
      line === '...'
    )
      continue;
    if (quotes % 2 === 1) {
      inDocstring = true;
      continue;
    }
    if (quotes >= 2 && /^(?:"""|''')/.test(line)) continue;
    return line;
  }
  return '';
}

/**
 * Words of `text` as `text.split(/\s+/).filter(Boolean).length` counts
 * them (runs of anything but JavaScript whitespace), without building the
 * array: it runs on every routed request.
 */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isJsWhitespace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** What `\s` matches: ASCII and Unicode spaces, line terminators and the BOM. */
function isJsWhitespace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The text a router should look at: the last user message (text parts joined). */
export function promptOf(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  }
  return '';
}
