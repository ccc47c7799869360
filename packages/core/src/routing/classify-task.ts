import { TASK_TYPES, type TaskType } from '../types/capabilities.js';
import { isWordChar, pairKey, prefixKey, tripleKey, wordStartPrefixes } from './feature-gate.js';
import { groupAlternativesByFirstChar, leadingCharsOf } from './regex-alternation.js';
import { countWords, type PromptParts, splitPrompt } from './split-prompt.js';
import { stem } from './stem.js';
import { TASK_FEATURES } from './task-features.js';
import { TASK_LEXICON } from './task-lexicon.js';
import { TECH_STEMS } from './tech-vocabulary.js';

export interface TaskClassification {
  readonly taskType: TaskType;
  /** 0–1: how clearly the winner beat the runner-up, and how strong its cues were. */
  readonly confidence: number;
  /** Score of every task type (0 when nothing pointed at it). */
  readonly scores: Readonly<Record<TaskType, number>>;
  /** Names of the phrase cues that counted for the winner, for `reasoning` texts. */
  readonly cues: readonly string[];
}

/** The first instruction of the prompt, after politeness: the most reliable cue of intent. */
const LEADING_VERBS: readonly { readonly task: TaskType; readonly pattern: RegExp }[] = [
  {
    task: 'code_completion',
    pattern: /^(?:complete|finish|finalize|continue|fill|autocomplete|pick up where)\b/,
  },
  {
    task: 'documentation',
    pattern:
      /^(?:document|annotate|jot down|(?:write|generate|create|add|produce|draft|update)\b[^.?!\n]{0,30}\b(?:how-to|walkthrough|docs?|docstrings?|readme|changelog|documentation|runbook|jsdoc|javadoc|comments?|release notes|guide|manual|postmortem|post-mortem|faq|tutorial|wiki|spec(?:ification)?|(?:decision|design) (?:record|doc(?:ument)?)|adr|rfc|write-?up)\b)/,
  },
  {
    task: 'testing',
    pattern:
      /^(?:test|verify|(?:write|add|create|generate|build|set up)\b[^.?!\n]{0,30}\btests?\b|cover\b[^.?!\n]{0,40}\btests?\b)/,
  },
  {
    task: 'refactoring',
    pattern:
      /^(?:refactor|restructure|reorgani[sz]e|rework|clean|tidy|simplify|rename|extract|modernize|decompose|untangle|polish|decouple|introduce|split|break up|pull\b[^.?!\n]{0,40}\bout|convert|migrate|rewrite|swap|consolidate|turn (?:this|these|that|those|it|them|our|the)\b[^.?!\n]{0,50}\binto)\b/,
  },
  {
    task: 'code_optimization',
    pattern:
      /^(?:optimi[sz]e|speed up|tune|vectori[sz]e|squeeze|reduce|improve the (?:performance|speed|throughput|latency)|make\b[^.?!\n]{0,30}\b(?:faster|quicker|use less))\b/,
  },
  {
    task: 'explanation',
    pattern:
      /^(?:explain|what (?:is|are|does|do)|how (?:does|do|is|are|come)|why|describe how|eli5|help me understand|walk me through|teach me|give me an intuition)\b/,
  },
  {
    task: 'analysis',
    pattern:
      /^(?:review|audit|analy[sz]e|assess|evaluate|investigate|compare|find|identify|check|diagnose|examine|critically|look over|go over|go through|sanity-check|estimate|rate|is there (?:a|any) (?:bug|problem|issue|race|leak|flaw|vulnerability)|is this|which is better)\b/,
  },
  {
    task: 'code_generation',
    pattern:
      /^(?:write|create|build|implement|generate|code|make me|develop|scaffold|give me|gimme|produce|put together|show me)\b/,
  },
];

const POLITE_PREFIX =
  /^(?:\s|please|pls|hey|hi|ok|okay|so|now|quick question|can you|could you|would you|will you|i need you to|i want you to|i'd like you to|i need|i want|we need|let's|kindly|[,:!-])+/;

/** Tie-break order: the more specific task wins a tie. */
const PRIORITY: readonly TaskType[] = [
  'code_completion',
  'testing',
  'documentation',
  'refactoring',
  'code_optimization',
  'analysis',
  'explanation',
  'code_generation',
  'general',
];

/** Prose of a few words at most, so the pasted code is the request. */
const CODE_ONLY_WORDS = 6;

/** Tasks about code: their cues count half in a prompt with no technical word and no code. */
const CODE_TASKS: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'documentation',
  'refactoring',
  'testing',
];
const CODE_TASKS_SET: ReadonlySet<TaskType> = new Set(CODE_TASKS);
const CODE_TASK_INDICES: readonly number[] = CODE_TASKS.map((t) => TASK_TYPES.indexOf(t));

/**
 * Infers the task type of a prompt: deterministic and fast (a few
 * microseconds). See routing/README.md for the rules; in short, the score of
 * each task sums phrase cues (`TASK_FEATURES`), a stemmed lexicon of weaker
 * cues (`TASK_LEXICON`), the leading instruction verb and the shape of any
 * pasted code; without technical vocabulary or code, code-task cues count
 * half and `general` gets a head start.
 *
 * Runs on every routed request, so it is written for speed: scores live in
 * a typed array indexed by task, words are found by a character scan and
 * looked up once each in a bounded memo (stem, lexicon cues, technical or
 * not), two-word phrases are only formed after a word that starts one, and
 * a result for the same prompt text is served from a small memo of recent prompts.
 */
export function classifyTask(prompt: string): TaskClassification {
  const memo = prompt.length <= MEMO_MAX_CHARS ? MEMO.get(prompt) : undefined;
  if (memo !== undefined) return memo;
  const result = classifyUncached(prompt);
  if (prompt.length <= MEMO_MAX_CHARS) {
    // Cleared when full rather than kept in LRU order: evicting from the front of a Map
    // leaves holes that every later eviction walks past (microseconds once it churns).
    if (MEMO.size >= MEMO_SIZE) MEMO.clear();
    MEMO.set(prompt, result);
  }
  return result;
}

/** Prompts remembered by `classifyTask` (identical prompts recur: retries, batches, templates). */
const MEMO_SIZE = 512;
/** Longer prompts are not remembered, so the memo stays small (≤ ~1 MB of keys). */
const MEMO_MAX_CHARS = 2_000;
const MEMO = new Map<string, TaskClassification>();

function classifyUncached(prompt: string): TaskClassification {
  const parts = splitPrompt(prompt);
  // EXPLAIN followed by "shows"/"analyze"… is the SQL command, not a request to explain.
  const prose =
    parts.prose.indexOf('explain') === -1
      ? parts.prose
      : parts.prose.replace(
          /\bexplain(?= (?:analyze|shows?|output|plan|says|verbose)\b)/g,
          'queryplan',
        );
  const acc = ACCUMULATOR.reset();

  // The instruction usually sits in one sentence; sentences before it are context
  // ("Our tests mock everything… Introduce a repository layer") and count half.
  const sentences = prose.split(SENTENCE);
  const instruction = addLeadingVerb(sentences, acc);
  let technical = parts.fencedBlocks > 0 || parts.inlineCode > 0;
  let codeCues = 0;
  for (let i = 0; i < sentences.length; i++) {
    const factor = i < instruction ? 0.5 : 1;
    const sentence = sentences[i]!;
    let previous: WordInfo | undefined;
    for (let at = 0; at < sentence.length; ) {
      const start = nextWordStart(sentence, at);
      if (start === -1) break;
      const end = wordEnd(sentence, start);
      at = end;
      const word = wordInfo(sentence.slice(start, end));
      if (!technical && word.technical) technical = true;
      for (const cue of word.cues) {
        acc.scores[cue.task]! += cue.weight * factor;
        if (cue.code) codeCues += cue.weight;
      }
      if (previous?.pairHead) {
        for (const cue of LEXICON.get(`${previous.stem} ${word.stem}`) ?? NO_CUES) {
          acc.scores[cue.task]! += cue.weight * factor;
          if (cue.code) codeCues += cue.weight;
        }
      }
      previous = word;
    }
  }
  // Vocabulary lists are never complete: clear code-task wording ("sluggish", "runbook") or
  // identifiers (snake_case, camelCase, calls) also make a prompt technical.
  if (!technical) technical = codeCues >= 2.5 || hasIdentifier(prompt);
  // Only cues whose first two letters begin some word of the prose can match (see
  // feature-gate.ts); the rest, in order, are tested as before.
  // Every match of a gated cue starts at one of those word starts, so a gated cue is
  // tried there only (anchored, with its sticky twin) instead of across the prose.
  clearFeatureStarts();
  let previousIsWord = false;
  for (let p = 0; p + 1 < prose.length; p++) {
    const isWord = isWordChar(prose.charCodeAt(p));
    const wordStart = isWord && !previousIsWord;
    previousIsWord = isWord;
    if (!wordStart) continue;
    const two = FEATURE_GATE.get(pairKey(prose, p));
    if (two !== undefined) for (const f of two) markFeatureStart(f, p);
    if (p + 2 < prose.length) {
      const three = FEATURE_GATE.get(tripleKey(prose, p));
      if (three !== undefined) for (const f of three) markFeatureStart(f, p);
    }
  }
  for (let i = 0; i < FEATURES.length; i++) {
    const feature = FEATURES[i]!;
    const matched =
      feature.sticky === undefined
        ? feature.pattern.test(prose)
        : matchesAt(feature.sticky, prose, FEATURE_STARTS[i]!);
    if (matched) acc.add(feature.task, feature.weight, feature.name);
  }
  addStructureCues(parts, acc);
  if (!technical) {
    // Everyday prompts: "convert 72 °F", "rewrite this paragraph" are not refactoring.
    for (const task of CODE_TASK_INDICES) acc.scores[task]! /= 2;
    acc.add(GENERAL, 2, 'non-technical');
  }
  return decide(acc, technical);
}

/**
 * Scores by task index, and the cues that fired, in the order they fired.
 * One instance, reset per classification (which is synchronous and never
 * re-entered): a typed array allocated per prompt cost more than filling it.
 */
class Accumulator {
  readonly scores = new Float64Array(TASK_TYPES.length);
  readonly cueTasks: number[] = [];
  readonly cueNames: string[] = [];

  reset(): this {
    this.scores.fill(0);
    this.cueTasks.length = 0;
    this.cueNames.length = 0;
    return this;
  }

  add(task: number, weight: number, cue: string): void {
    this.scores[task]! += weight;
    this.cueTasks.push(task);
    this.cueNames.push(cue);
  }

  cuesOf(task: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.cueTasks.length; i++)
      if (this.cueTasks[i] === task) out.push(this.cueNames[i]!);
    return out;
  }
}

const ACCUMULATOR = new Accumulator();

const TASK_INDEX = new Map<TaskType, number>(TASK_TYPES.map((t, i) => [t, i]));
const indexOf = (task: TaskType): number => TASK_INDEX.get(task)!;
const GENERAL = indexOf('general');

interface LexiconCue {
  readonly task: number;
  readonly weight: number;
  /** The task is one of CODE_TASKS. */
  readonly code: boolean;
}

const NO_CUES: readonly LexiconCue[] = [];

/** TASK_LEXICON with task indices, in the lexicon's order (sums stay bit-identical). */
const LEXICON: ReadonlyMap<string, readonly LexiconCue[]> = new Map(
  [...TASK_LEXICON].map(([key, list]) => [
    key,
    list.map(([task, weight]) => ({ task: indexOf(task), weight, code: CODE_TASKS_SET.has(task) })),
  ]),
);

/** Stems that begin a two-word lexicon entry: only after one of them is a pair looked up. */
const PAIR_HEADS: ReadonlySet<string> = new Set(
  [...TASK_LEXICON.keys()].filter((k) => k.includes(' ')).map((k) => k.slice(0, k.indexOf(' '))),
);

const FEATURES = TASK_FEATURES.map((f) => ({
  task: indexOf(f.task),
  weight: f.weight,
  // Same matches, fewer alternatives tried per position (see regex-alternation.ts).
  pattern: groupAlternativesByFirstChar(f.pattern),
  name: f.name,
  /**
   * For a cue that can only match at a word starting with one of its prefixes:
   * the same regex, sticky, to try at those word starts only.
   */
  sticky:
    wordStartPrefixes(f.pattern) === undefined
      ? undefined
      : new RegExp(groupAlternativesByFirstChar(f.pattern).source, 'y'),
}));

/** Word start (its first two or three characters, as a number) → the cues (by index) that may match there. */
const FEATURE_GATE: ReadonlyMap<number, readonly number[]> = (() => {
  const gate = new Map<number, number[]>();
  TASK_FEATURES.forEach((f, i) => {
    for (const prefix of wordStartPrefixes(f.pattern) ?? []) {
      const key = prefixKey(prefix);
      const list = gate.get(key) ?? [];
      list.push(i);
      gate.set(key, list);
    }
  });
  return gate;
})();

/**
 * Scratch for one classification (synchronous, never re-entered): per cue,
 * the word starts of the prose where it may match, ascending; and the cues
 * that have any, to clear them for the next prose.
 */
const FEATURE_STARTS: number[][] = TASK_FEATURES.map(() => []);
const MARKED: number[] = [];

function clearFeatureStarts(): void {
  for (const f of MARKED) FEATURE_STARTS[f]!.length = 0;
  MARKED.length = 0;
}

function markFeatureStart(feature: number, at: number): void {
  const starts = FEATURE_STARTS[feature]!;
  if (starts.length === 0) MARKED.push(feature);
  else if (starts[starts.length - 1] === at) return;
  starts.push(at);
}

/** Whether the sticky regex matches starting at one of `starts`. */
function matchesAt(sticky: RegExp, prose: string, starts: readonly number[]): boolean {
  for (const at of starts) {
    sticky.lastIndex = at;
    if (sticky.test(prose)) return true;
  }
  return false;
}

/** What the classifier needs to know about one word of prose. */
interface WordInfo {
  readonly stem: string;
  readonly cues: readonly LexiconCue[];
  readonly technical: boolean;
  readonly pairHead: boolean;
}

/**
 * Word → its stem and lexicon cues. Prose vocabulary is Zipfian, so most
 * words of a prompt were seen before; the memo is cleared when full, which
 * bounds it without LRU bookkeeping on every word.
 */
const WORDS = new Map<string, WordInfo>();
const WORDS_MAX = 8_192;

function wordInfo(raw: string): WordInfo {
  let info = WORDS.get(raw);
  if (info === undefined) {
    const stemmed = stem(raw.endsWith("'s") ? raw.slice(0, -2) : raw);
    info = {
      stem: stemmed,
      cues: LEXICON.get(stemmed) ?? NO_CUES,
      technical: TECH_STEMS.has(stemmed),
      pairHead: PAIR_HEADS.has(stemmed),
    };
    if (WORDS.size >= WORDS_MAX) WORDS.clear();
    WORDS.set(raw, info);
  }
  return info;
}

// A word is what `/[a-z][a-z0-9+#'.]*[a-z0-9+#]|[a-z]/g` matches in lower-cased
// prose: it keeps `+`, `#`, `'` and inner dots (c++, c#, don't, node.js);
// hyphens split compounds. Scanned by char code rather than by the regex,
// which allocated the array of every word up front.
const WORD_CHAR = new Uint8Array(128);
for (let c = 97; c <= 122; c++) WORD_CHAR[c] = 1;
for (let c = 48; c <= 57; c++) WORD_CHAR[c] = 2;
for (const ch of '+#') WORD_CHAR[ch.charCodeAt(0)] = 2;
for (const ch of "'.") WORD_CHAR[ch.charCodeAt(0)] = 3;

/** Index of the next a–z letter at or after `from`, or -1. */
function nextWordStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) return i;
  }
  return -1;
}

/** End (exclusive) of the word starting at `start`: the run, less trailing `'` and `.`. */
function wordEnd(text: string, start: number): number {
  let end = start + 1;
  let lastSolid = start + 1;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    const kind = c < 128 ? WORD_CHAR[c]! : 0;
    if (kind === 0) break;
    if (kind !== 3) lastSolid = end + 1;
  }
  return lastSolid;
}

/**
 * The regex IDENTIFIER, run only when the prompt has what every match
 * needs: an underscore, "()", or a lower-case letter followed by a capital
 * (one native scan, MAYBE_IDENTIFIER, instead of a loop over the characters).
 */
function hasIdentifier(prompt: string): boolean {
  const maybe =
    prompt.indexOf('_') !== -1 || prompt.indexOf('()') !== -1 || LOWER_UPPER.test(prompt);
  return maybe && IDENTIFIER.test(prompt);
}

const LOWER_UPPER = /[a-z][A-Z]/;

/** snake_case, camelCase or a call such as `foo()` in the prose. */
const IDENTIFIER = /\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][a-zA-Z]*\b|\b\w+\(\)/;

/**
 * The instruction verb of the first sentence that has one (context often
 * comes first: "Our tests mock everything… Introduce a repository layer").
 */
function addLeadingVerb(sentences: readonly string[], acc: Accumulator): number {
  for (let i = 0; i < sentences.length; i++) {
    const lead = sentences[i]!.replace(POLITE_PREFIX, '');
    const bit = letterBit(lead.charCodeAt(0));
    for (const verb of LEADING_VERB_INDICES) {
      // A verb whose every alternative starts with another letter cannot match.
      if ((verb.letters & bit) === 0) continue;
      if (verb.pattern.test(lead)) {
        acc.add(verb.task, 2.5, 'leading-verb');
        return i;
      }
    }
  }
  return 0;
}

const OTHER_BIT = 1 << 26;
const ALL_BITS = (1 << 27) - 1;

const LEADING_VERB_INDICES = LEADING_VERBS.map((v) => ({
  task: indexOf(v.task),
  pattern: v.pattern,
  letters: lettersMask(leadingCharsOf(v.pattern)),
}));

/** Bit of a lower-case ASCII letter; any other character gets the "other" bit. */
function letterBit(code: number): number {
  return code >= 97 && code <= 122 ? 1 << (code - 97) : OTHER_BIT;
}
/** The letters a verb can start with, as bits; every bit when not known or not only letters. */
function lettersMask(first: ReadonlySet<string> | undefined): number {
  if (first === undefined) return ALL_BITS;
  let mask = 0;
  for (const c of first) {
    const bit = c.length === 1 ? letterBit(c.charCodeAt(0)) : OTHER_BIT;
    // A leading character outside a–z: keep the verb for every sentence (exact, if rarely useful).
    if (bit === OTHER_BIT) return ALL_BITS;
    mask |= bit;
  }
  return mask;
}

/** Sentence ends; a dot inside a word (node.js, 0.1) is not one. */
const SENTENCE = /[.?!;]+(?=\s|$)|\n+/;

const COMPLETION = indexOf('code_completion');
const ANALYSIS = indexOf('analysis');

function addStructureCues(parts: PromptParts, acc: Accumulator): void {
  if (parts.fencedBlocks === 0) return;
  if (parts.unfinishedCode)
    acc.add(COMPLETION, countWords(parts.prose) <= CODE_ONLY_WORDS ? 5 : 2, 'unfinished-code');
  if (/\bTODO\b|\?\?\?|_{3,}/.test(parts.code)) acc.add(COMPLETION, 1.5, 'placeholder-in-code');
  // "add the grouping…" said about pasted code extends it.
  if (
    /(?:^|[.?!\n]\s*)(?:now |then |also )?(?:add|extend|append)\b(?! (?:\w+ )?(?:tests?|docs?|comments?|docstrings?))/.test(
      parts.prose,
    )
  ) {
    acc.add(COMPLETION, 2, 'extend-pasted-code');
  }
  if (/^[ \t]*(?:\w+Error|Traceback|Exception|panic:|at \S+ \(|error\[)/m.test(parts.code)) {
    acc.add(ANALYSIS, 2.5, 'pasted-error');
  }
  // Pasted code plus a symptom asks for debugging, whatever the question word.
  if (
    /\b(?:returns? (?:undefined|null|none|nan|wrong)|crash\w*|hangs?|deadlocks?|leaks?|not working|doesn't work|wrong (?:result|output|answer)|looks? off)\b/.test(
      parts.prose,
    )
  ) {
    acc.add(ANALYSIS, 4, 'code-with-symptom');
  }
}

const PRIORITY_INDICES: readonly number[] = PRIORITY.map(indexOf);

/**
 * The scores by task name, written as one literal in TASK_TYPES order: one
 * object shape, no store by computed name.
 */
function scoresOf(s: Float64Array): Record<TaskType, number> {
  return {
    code_generation: s[0]!,
    code_completion: s[1]!,
    code_optimization: s[2]!,
    documentation: s[3]!,
    explanation: s[4]!,
    refactoring: s[5]!,
    testing: s[6]!,
    analysis: s[7]!,
    general: s[8]!,
  };
}

// Fails at load, and so in every test, if TASK_TYPES and `scoresOf` ever disagree.
if (Object.keys(scoresOf(new Float64Array(TASK_TYPES.length))).join() !== TASK_TYPES.join()) {
  throw new Error('classify-task: scoresOf() is out of step with TASK_TYPES');
}

function decide(acc: Accumulator, technical: boolean): TaskClassification {
  const s = acc.scores;
  const scores = scoresOf(s);
  let best = PRIORITY_INDICES[0]!;
  for (const task of PRIORITY_INDICES) if (s[task]! > s[best]!) best = task;
  let second = 0;
  for (let task = 0; task < s.length; task++)
    if (task !== best && s[task]! > second) second = s[task]!;
  const top = s[best]!;
  if (top < 1) {
    // Nothing pointed anywhere: a technical prompt without an instruction is most often a question.
    return { taskType: technical ? 'explanation' : 'general', confidence: 0.2, scores, cues: [] };
  }
  const margin = (top - second) / top;
  const strength = Math.min(1, top / 6);
  return {
    taskType: TASK_TYPES[best]!,
    confidence: Math.round((0.6 * margin + 0.4 * strength) * 100) / 100,
    scores,
    cues: acc.cuesOf(best),
  };
}
