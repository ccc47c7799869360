/**
 * A tokenizer-free token estimate that errs high. One pass over the text
 * counts what BPE tokenizers (cl100k, o200k, SentencePiece) cannot merge
 * away:
 * - a word costs one token per five letters up to ten letters, and one per
 *   three beyond (long words are rare, so they split finely); a run of eight
 *   or more letters with under 30% vowels (hashes, random ids, some
 *   compounds) costs one per 1.5 letters, as tokenizers have no merges for it;
 * - digits cost one token per 2.5 (GPT tokenizers split numbers into groups
 *   of at most three, and decimals split further);
 * - a run of eight or more letters AND digits with no separator (hex,
 *   base64, keys) costs one token per character: real encodings come close;
 * - a punctuation mark is a token, but a run of one repeated mark (`-----`,
 *   `....`) is one per four;
 * - whitespace other than a single plain space is one token per run;
 * - other characters (CJK, Cyrillic, Arabic…) cost one token each, and
 *   astral characters (most emoji) three.
 * The result is at least chars/4 (the usual rule of thumb for English), and
 * gets a 10% margin on top.
 *
 * Measured against o200k_base and cl100k_base (see count-tokens.test.ts): it
 * does not fall below the real count on the test corpus, and is typically
 * 1.1–1.6× above it.
 */
export function estimateTokens(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  const s: RunState = { ...EMPTY_RUN, tokens: 0 };
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (isLetter(c)) {
      if (s.letters === 0) closeDigits(s);
      closeSpacesAndMarks(s);
      s.letters++;
      if (VOWELS.has(c | 0x20)) s.vowels++;
    } else if (c >= 48 && c <= 57) {
      if (s.digits === 0) closeLetters(s);
      closeSpacesAndMarks(s);
      s.digits++;
      s.alnumDigits = true;
    } else {
      closeAlnum(s);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        if (s.marks > 0) closeSpacesAndMarks(s);
        s.spaces++;
        if (c !== 32) s.plainSpace = false;
      } else if (c >= 0xd800 && c <= 0xdbff) {
        closeSpacesAndMarks(s);
        // A surrogate pair (emoji and other astral characters): four UTF-8 bytes, up to three tokens.
        s.tokens += 3;
        i++;
      } else if (c < 0x80) {
        if (s.spaces > 0 || s.mark !== c) closeSpacesAndMarks(s);
        s.mark = c;
        s.marks++;
      } else {
        closeSpacesAndMarks(s);
        s.tokens += 1;
      }
    }
  }
  closeAlnum(s);
  closeSpacesAndMarks(s);
  return Math.ceil(Math.max(s.tokens, length / 4) * ESTIMATE_MARGIN);
}

/** Head-room on top of the structural count, so the estimate stays on the safe side. */
export const ESTIMATE_MARGIN = 1.1;

interface RunState {
  tokens: number;
  /** Current letter sub-run. */
  letters: number;
  vowels: number;
  /** Current digit sub-run. */
  digits: number;
  /** The alphanumeric run holding those sub-runs: its length, its tokens so far, whether it has digits. */
  alnumLength: number;
  alnumTokens: number;
  alnumDigits: boolean;
  alnumLetters: boolean;
  spaces: number;
  plainSpace: boolean;
  /** Char code of the punctuation mark being repeated, -1 when none. */
  mark: number;
  marks: number;
}

const EMPTY_RUN: Omit<RunState, 'tokens'> = {
  letters: 0,
  vowels: 0,
  digits: 0,
  alnumLength: 0,
  alnumTokens: 0,
  alnumDigits: false,
  alnumLetters: false,
  spaces: 0,
  plainSpace: true,
  mark: -1,
  marks: 0,
};

const VOWELS: ReadonlySet<number> = new Set([...'aeiouy'].map((ch) => ch.charCodeAt(0)));

function isLetter(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}

function closeLetters(s: RunState): void {
  const n = s.letters;
  if (n === 0) return;
  // English runs about 40% vowels; uniformly random letters about 23%.
  if (n >= 8 && s.vowels / n < 0.3) s.alnumTokens += Math.ceil(n / 1.5);
  else s.alnumTokens += n <= 10 ? Math.ceil(n / 5) : 2 + Math.ceil((n - 10) / 3);
  s.alnumLength += n;
  s.alnumLetters = true;
  s.letters = 0;
  s.vowels = 0;
}

function closeDigits(s: RunState): void {
  if (s.digits === 0) return;
  s.alnumTokens += Math.ceil(s.digits / 2.5);
  s.alnumLength += s.digits;
  s.digits = 0;
}

function closeAlnum(s: RunState): void {
  closeLetters(s);
  closeDigits(s);
  if (s.alnumLength === 0) return;
  const mixed = s.alnumLength >= 8 && s.alnumLetters && s.alnumDigits;
  s.tokens += mixed ? Math.max(s.alnumTokens, s.alnumLength) : s.alnumTokens;
  s.alnumLength = 0;
  s.alnumTokens = 0;
  s.alnumDigits = false;
  s.alnumLetters = false;
}

function closeSpacesAndMarks(s: RunState): void {
  if (s.spaces > 0) {
    // One plain space joins the next word's token; anything else is a token of its own.
    if (s.spaces > 1 || !s.plainSpace) s.tokens += 1;
    s.spaces = 0;
    s.plainSpace = true;
  }
  if (s.marks > 0) {
    s.tokens += s.marks === 1 ? 1 : Math.ceil(s.marks / 4);
    s.marks = 0;
    s.mark = -1;
  }
}
