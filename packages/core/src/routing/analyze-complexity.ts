import type { ChatRequest } from '../types/chat.js';
import { COMPLEXITY_TERMS } from './complexity-terms.js';
import { groupAlternativesByFirstChar } from './regex-alternation.js';
import { countWords, promptOf, splitPrompt } from './split-prompt.js';

export const COMPLEXITY_LEVELS = ['simple', 'moderate', 'complex', 'expert'] as const;
export type ComplexityLevel = (typeof COMPLEXITY_LEVELS)[number];

/** What the score was made of, for `reasoning` texts and tuning. */
export interface ComplexitySignals {
  /** Words of prose (code excluded). */
  readonly words: number;
  readonly codeLines: number;
  /** Enumerated requirements: list items, and items of "X: a, b, c and d" lists. */
  readonly requirements: number;
  /** Constraint markers: "must", "without", "under 10 ms", "zero downtime", percentages… */
  readonly constraints: number;
  /** Multi-step markers: "first", "then", "step by step", "phase"… */
  readonly steps: number;
  /** Distinct system-level terms (distributed, migration, concurrency, Kubernetes…). */
  readonly advancedTerms: number;
  /** Distinct working-engineer topics (middleware, CI, dependency injection, query plans…). */
  readonly intermediateTerms: number;
  /** Figures with units ("40 seconds", "2 GB", "10k users", "90%"): targets and sizes to respect. */
  readonly quantities: number;
  /** The prompt speaks of an existing system ("our service", "we have…"). */
  readonly ownSystem: boolean;
  /** Distinct expert-domain terms (consensus, lock-free, linearizability, JIT, formal proofs…). */
  readonly expertTerms: number;
  /** "simple", "quick", "one-liner", "ELI5"… */
  readonly simplicityMarkers: number;
  /** Earlier turns of the conversation, which the answer must take into account. */
  readonly priorTurns: number;
}

export interface ComplexityAnalysis {
  readonly level: ComplexityLevel;
  /** The weighted sum the level was cut from (≥ 0; see `COMPLEXITY_THRESHOLDS`). */
  readonly score: number;
  readonly signals: ComplexitySignals;
}

/** Lower bounds of the score for moderate, complex and expert. */
export const COMPLEXITY_THRESHOLDS = { moderate: 1.45, complex: 4.7, expert: 8.75 } as const;

// `[ \t]`, not `\s`: with the m flag, `^\s*` would rescan runs of blank lines (quadratic).
const LIST_ITEM = /^[ \t]*(?:[-*•]|\d+[.)])[ \t]+\S/gm;
const CONSTRAINT =
  /\b(?:must|should|ensure|without|while keeping|keeping|keep(?:s)? (?:the|all|it)|preserv\w+|guarantee\w*|at (?:least|most)|no more than|under \d|below \d|within \d|zero[- ]downtime|idempotent|backward[- ]compatible|thread[- ]safe|deterministic\w*|exactly[- ]once|at[- ]least[- ]once|\d+(?:\.\d+)?\s?%|p9\d(?:\.\d)?|sla|slo)\b/g;
const STEP =
  /\b(?:first|then|finally|afterwards|after that|step by step|step-by-step|phases?|stages?|rollout|incremental(?:ly)?)\b/g;
const QUANTITY =
  /\b\d[\d.,]*\s?(?:k|m|ms|µs|s|sec|seconds?|minutes?|mins?|hours?|days?|gb|mb|tb|kb|%|x|rows|users|requests|req\/s|qps|rps|records|messages|msgs\/s|queries|files|items|lines|engineers|tenants|nodes|cores)\b|\$\d[\d,.]*k?\b/g;
// The vocabularies as regexes that find the same matches, faster (see regex-alternation.ts).
const EXPERT = groupAlternativesByFirstChar(COMPLEXITY_TERMS.expert);
const ADVANCED = groupAlternativesByFirstChar(COMPLEXITY_TERMS.advanced);
const INTERMEDIATE = groupAlternativesByFirstChar(COMPLEXITY_TERMS.intermediate);
const OWN_SYSTEM = /\b(?:our|we|we're|we've|we have)\b/;
const SIMPLE =
  /\b(?:simple|quick(?:ly)?|small|basic|one-liner|short|tiny|trivial|hello world|beginner|eli5|in plain words|just)\b/g;

/**
 * Rates how demanding a request is, from its last user message (and how
 * long the conversation already is). A transparent weighted sum of
 * countable signals; see routing/README.md for the weights and the
 * labelled set they were checked against.
 */
export function analyzeComplexity(input: ChatRequest | string): ComplexityAnalysis {
  const text = typeof input === 'string' ? input : promptOf(input);
  const priorTurns = typeof input === 'string' ? 0 : Math.max(0, input.messages.length - 1);
  const t = textSignals(text);
  // Written out: `{ ...t, priorTurns }` takes V8's slow spread-then-add path (microseconds).
  const signals: ComplexitySignals = {
    words: t.words,
    codeLines: t.codeLines,
    requirements: t.requirements,
    constraints: t.constraints,
    steps: t.steps,
    advancedTerms: t.advancedTerms,
    intermediateTerms: t.intermediateTerms,
    quantities: t.quantities,
    ownSystem: t.ownSystem,
    expertTerms: t.expertTerms,
    simplicityMarkers: t.simplicityMarkers,
    priorTurns,
  };
  const score = scoreSignals(signals);
  return { level: levelFor(score), score, signals };
}

type TextSignals = Omit<ComplexitySignals, 'priorTurns'>;

/**
 * Signals of recent prompt texts. The analysis is a dozen regex scans
 * (~6 µs for a short prompt) on every routed request, and identical
 * prompts recur (retries, batches, templates); results are plain numbers,
 * so sharing them is safe. Bounded (cleared when full); long prompts are not kept.
 */
const MEMO = new Map<string, TextSignals>();
const MEMO_SIZE = 512;
const MEMO_MAX_CHARS = 2_000;

function textSignals(text: string): TextSignals {
  const cacheable = text.length <= MEMO_MAX_CHARS;
  let signals = cacheable ? MEMO.get(text) : undefined;
  if (signals !== undefined) return signals;
  const parts = splitPrompt(text);
  const prose = parts.prose;
  signals = {
    words: countWords(prose),
    codeLines: parts.codeLines,
    requirements: countRequirements(prose),
    constraints: count(prose, CONSTRAINT),
    steps: count(prose, STEP),
    advancedTerms: distinct(prose, ADVANCED),
    intermediateTerms: distinct(prose, INTERMEDIATE),
    quantities: count(prose, QUANTITY),
    ownSystem: OWN_SYSTEM.test(prose),
    expertTerms: distinct(prose, EXPERT),
    simplicityMarkers: count(prose, SIMPLE),
  };
  if (cacheable) {
    // Cleared when full, not LRU: evicting from a Map's front leaves holes later evictions walk.
    if (MEMO.size >= MEMO_SIZE) MEMO.clear();
    MEMO.set(text, signals);
  }
  return signals;
}

/**
 * Weight of each signal, and the count beyond which it stops adding. The
 * weights were fitted (random search maximising exact + within-one
 * accuracy) on the `dev` and `stress` splits of the labelled prompts and
 * checked on the `holdout` and `fresh` splits, which the fit never saw;
 * see routing/README.md for the figures.
 */
export const COMPLEXITY_WEIGHTS = {
  words: { weight: 0.055, cap: 66 },
  codeLines: { weight: 0.065, cap: 28 },
  requirements: { weight: 0.28, cap: 7 },
  constraints: { weight: 0.65, cap: 4 },
  steps: { weight: 0.1, cap: 3 },
  advancedTerms: { weight: 0.6, cap: 4 },
  intermediateTerms: { weight: 0.55, cap: 3 },
  expertTerms: { weight: 3, cap: 4 },
  quantities: { weight: 0.18, cap: 3 },
  simplicityMarkers: { weight: -1.8, cap: 2 },
  priorTurns: { weight: 0.1, cap: 10 },
} as const;
/** Added when the prompt is about an existing system of the asker's. */
const OWN_SYSTEM_WEIGHT = 0.45;

/** The weighted sum of the capped signals, never below 0. */
export function scoreSignals(s: ComplexitySignals): number {
  const w = COMPLEXITY_WEIGHTS;
  let score = s.ownSystem ? OWN_SYSTEM_WEIGHT : 0;
  // Written out in the order of COMPLEXITY_WEIGHTS' keys (a test holds the two equal),
  // so the sum is bit-identical to a loop over them, without a lookup by name per signal.
  score += Math.min(s.words, w.words.cap) * w.words.weight;
  score += Math.min(s.codeLines, w.codeLines.cap) * w.codeLines.weight;
  score += Math.min(s.requirements, w.requirements.cap) * w.requirements.weight;
  score += Math.min(s.constraints, w.constraints.cap) * w.constraints.weight;
  score += Math.min(s.steps, w.steps.cap) * w.steps.weight;
  score += Math.min(s.advancedTerms, w.advancedTerms.cap) * w.advancedTerms.weight;
  score += Math.min(s.intermediateTerms, w.intermediateTerms.cap) * w.intermediateTerms.weight;
  score += Math.min(s.expertTerms, w.expertTerms.cap) * w.expertTerms.weight;
  score += Math.min(s.quantities, w.quantities.cap) * w.quantities.weight;
  score += Math.min(s.simplicityMarkers, w.simplicityMarkers.cap) * w.simplicityMarkers.weight;
  score += Math.min(s.priorTurns, w.priorTurns.cap) * w.priorTurns.weight;
  return Math.max(0, Math.round(score * 100) / 100);
}

/** The order `scoreSignals` adds the signals in. @internal */
export const SCORE_ORDER = [
  'words',
  'codeLines',
  'requirements',
  'constraints',
  'steps',
  'advancedTerms',
  'intermediateTerms',
  'expertTerms',
  'quantities',
  'simplicityMarkers',
  'priorTurns',
] as const;

export function levelFor(score: number): ComplexityLevel {
  if (score >= COMPLEXITY_THRESHOLDS.expert) return 'expert';
  if (score >= COMPLEXITY_THRESHOLDS.complex) return 'complex';
  if (score >= COMPLEXITY_THRESHOLDS.moderate) return 'moderate';
  return 'simple';
}

/**
 * List items, plus the items of inline enumerations ("cover generations,
 * G1 and ZGC": 3). An enumeration counts from its second item on, since a
 * single clause is not a list.
 */
function countRequirements(prose: string): number {
  let n = count(prose, LIST_ITEM);
  // A clause counts only with two separators, so at least one comma: without any
  // comma in the prose there is no clause to count (and no split to pay for).
  if (prose.indexOf(',') === -1) return n;
  for (const clause of prose.split(/[.;\n]|:\s/)) {
    const separators =
      (clause.match(/,\s+(?!and\b|but\b|so\b|which\b)/g)?.length ?? 0) +
      (/\band\b/.test(clause) ? 1 : 0);
    if (separators >= 2) n += separators;
  }
  return n;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function distinct(text: string, pattern: RegExp): number {
  const found = text.match(pattern);
  return found === null ? 0 : new Set(found).size;
}
