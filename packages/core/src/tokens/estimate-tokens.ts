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
  // The run state lives in locals, and character classes come from a table:
  // this runs on every request's text (budget reservations, token limits),
  // and an earlier version that kept the state in an object and tested
  // vowels through a Set cost ~200 ns a character; this one costs a few.
  let tokens = 0;
  // Current letter and digit sub-runs of the alphanumeric run.
  let letters = 0;
  let vowels = 0;
  let digits = 0;
  // The alphanumeric run holding those sub-runs: its length, its tokens so far, what it holds.
  let alnumLength = 0;
  let alnumTokens = 0;
  let alnumDigits = false;
  let alnumLetters = false;
  let spaces = 0;
  let plainSpace = true;
  // Char code of the punctuation mark being repeated, -1 when none.
  let mark = -1;
  let marks = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const kind =
      c < 0x80
        ? ASCII_KIND[c]!
        : isWideLetter(c)
          ? LETTER
          : c <= 0xdbff && c >= 0xd800
            ? ASTRAL
            : OTHER;
    if (kind <= VOWEL) {
      if (letters === 0 && digits > 0) {
        alnumTokens += digitTokens(digits);
        alnumLength += digits;
        digits = 0;
      }
      if (spaces > 0) {
        tokens += spaceTokens(spaces, plainSpace);
        spaces = 0;
        plainSpace = true;
      }
      if (marks > 0) {
        tokens += markTokens(marks);
        marks = 0;
        mark = -1;
      }
      letters++;
      if (kind === VOWEL) vowels++;
      continue;
    }
    if (kind === DIGIT) {
      if (digits === 0 && letters > 0) {
        alnumTokens += letterTokens(letters, vowels);
        alnumLength += letters;
        alnumLetters = true;
        letters = 0;
        vowels = 0;
      }
      if (spaces > 0) {
        tokens += spaceTokens(spaces, plainSpace);
        spaces = 0;
        plainSpace = true;
      }
      if (marks > 0) {
        tokens += markTokens(marks);
        marks = 0;
        mark = -1;
      }
      digits++;
      alnumDigits = true;
      continue;
    }
    // Anything else ends the alphanumeric run.
    if (letters > 0) {
      alnumTokens += letterTokens(letters, vowels);
      alnumLength += letters;
      alnumLetters = true;
      letters = 0;
      vowels = 0;
    }
    if (digits > 0) {
      alnumTokens += digitTokens(digits);
      alnumLength += digits;
      digits = 0;
    }
    if (alnumLength > 0) {
      tokens += alnumRunTokens(alnumLength, alnumTokens, alnumLetters, alnumDigits);
      alnumLength = 0;
      alnumTokens = 0;
      alnumDigits = false;
      alnumLetters = false;
    }
    if (kind === SPACE || kind === OTHER_SPACE) {
      if (marks > 0) {
        if (spaces > 0) tokens += spaceTokens(spaces, plainSpace);
        spaces = 0;
        plainSpace = true;
        tokens += markTokens(marks);
        marks = 0;
        mark = -1;
      }
      spaces++;
      if (kind === OTHER_SPACE) plainSpace = false;
      continue;
    }
    if (kind === MARK) {
      if (spaces > 0 || mark !== c) {
        if (spaces > 0) {
          tokens += spaceTokens(spaces, plainSpace);
          spaces = 0;
          plainSpace = true;
        }
        if (marks > 0) {
          tokens += markTokens(marks);
          marks = 0;
        }
      }
      mark = c;
      marks++;
      continue;
    }
    if (spaces > 0) {
      tokens += spaceTokens(spaces, plainSpace);
      spaces = 0;
      plainSpace = true;
    }
    if (marks > 0) {
      tokens += markTokens(marks);
      marks = 0;
      mark = -1;
    }
    if (kind === ASTRAL) {
      // A surrogate pair (emoji and other astral characters): four UTF-8 bytes, up to three tokens.
      tokens += 3;
      i++;
    } else tokens += 1;
  }
  if (letters > 0) {
    alnumTokens += letterTokens(letters, vowels);
    alnumLength += letters;
    alnumLetters = true;
  }
  if (digits > 0) {
    alnumTokens += digitTokens(digits);
    alnumLength += digits;
  }
  if (alnumLength > 0)
    tokens += alnumRunTokens(alnumLength, alnumTokens, alnumLetters, alnumDigits);
  if (spaces > 0) tokens += spaceTokens(spaces, plainSpace);
  if (marks > 0) tokens += markTokens(marks);
  return Math.ceil(Math.max(tokens, length / 4) * ESTIMATE_MARGIN);
}

/** Head-room on top of the structural count, so the estimate stays on the safe side. */
export const ESTIMATE_MARGIN = 1.1;

// Character classes. Letters come first so one comparison (`kind <= VOWEL`) finds them.
const LETTER = 0;
const VOWEL = 1;
const DIGIT = 2;
/** A plain space. */
const SPACE = 3;
/** Tab, newline, carriage return: whitespace that is a token of its own. */
const OTHER_SPACE = 4;
/** ASCII punctuation and controls. */
const MARK = 5;
/** The high half of a surrogate pair. */
const ASTRAL = 6;
/** Any other character (CJK, Cyrillic, Arabic…). */
const OTHER = 7;

const ASCII_KIND: Uint8Array = (() => {
  const kinds = new Uint8Array(128).fill(MARK);
  for (let c = 65; c <= 90; c++) kinds[c] = LETTER;
  for (let c = 97; c <= 122; c++) kinds[c] = LETTER;
  for (const ch of 'aeiouyAEIOUY') kinds[ch.charCodeAt(0)] = VOWEL;
  for (let c = 48; c <= 57; c++) kinds[c] = DIGIT;
  kinds[32] = SPACE;
  kinds[9] = OTHER_SPACE;
  kinds[10] = OTHER_SPACE;
  kinds[13] = OTHER_SPACE;
  return kinds;
})();

/** Latin-1 and Latin Extended letters (× and ÷ are not). */
function isWideLetter(c: number): boolean {
  return c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7;
}

function letterTokens(n: number, vowels: number): number {
  // English runs about 40% vowels; uniformly random letters about 23%.
  if (n >= 8 && vowels / n < 0.3) return Math.ceil(n / 1.5);
  return n <= 10 ? Math.ceil(n / 5) : 2 + Math.ceil((n - 10) / 3);
}

function digitTokens(n: number): number {
  return Math.ceil(n / 2.5);
}

function alnumRunTokens(
  length: number,
  runTokens: number,
  hasLetters: boolean,
  hasDigits: boolean,
): number {
  const mixed = length >= 8 && hasLetters && hasDigits;
  return mixed ? Math.max(runTokens, length) : runTokens;
}

/** One plain space joins the next word's token; anything else is a token of its own. */
function spaceTokens(spaces: number, plain: boolean): number {
  return spaces > 1 || !plain ? 1 : 0;
}

function markTokens(marks: number): number {
  return marks === 1 ? 1 : Math.ceil(marks / 4);
}
