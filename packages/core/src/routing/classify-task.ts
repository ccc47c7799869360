import { TASK_TYPES, type TaskType } from '../types/capabilities.js';
import { type PromptParts, splitPrompt } from './split-prompt.js';
import { stems } from './stem.js';
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

/**
 * Infers the task type of a prompt: deterministic and fast (a few
 * microseconds). See routing/README.md for the rules; in short, the score of
 * each task sums phrase cues (`TASK_FEATURES`), a stemmed lexicon of weaker
 * cues (`TASK_LEXICON`), the leading instruction verb and the shape of any
 * pasted code; without technical vocabulary or code, code-task cues count
 * half and `general` gets a head start.
 */
export function classifyTask(prompt: string): TaskClassification {
  const parts = splitPrompt(prompt);
  // EXPLAIN followed by "shows"/"analyze"… is the SQL command, not a request to explain.
  const prose = parts.prose.replace(
    /\bexplain(?= (?:analyze|shows?|output|plan|says|verbose)\b)/g,
    'queryplan',
  );
  const scores = zeroScores();
  const cues: string[][] = TASK_TYPES.map(() => []);
  const add = (task: TaskType, weight: number, cue?: string): void => {
    scores[task] += weight;
    if (cue !== undefined) cues[TASK_TYPES.indexOf(task)]!.push(cue);
  };

  // The instruction usually sits in one sentence; sentences before it are context
  // ("Our tests mock everything… Introduce a repository layer") and count half.
  const sentences = prose.split(SENTENCE);
  const instruction = addLeadingVerb(sentences, add);
  let technical = parts.fencedBlocks > 0 || parts.inlineCode > 0;
  let codeCues = 0;
  for (let i = 0; i < sentences.length; i++) {
    const factor = i < instruction ? 0.5 : 1;
    let previous = '';
    for (const word of stems(sentences[i]!)) {
      if (!technical && TECH_STEMS.has(word)) technical = true;
      for (const [task, weight] of TASK_LEXICON.get(word) ?? NONE) {
        add(task, weight * factor);
        if (CODE_TASKS.includes(task)) codeCues += weight;
      }
      if (previous !== '') {
        for (const [task, weight] of TASK_LEXICON.get(`${previous} ${word}`) ?? NONE) {
          add(task, weight * factor);
          if (CODE_TASKS.includes(task)) codeCues += weight;
        }
      }
      previous = word;
    }
  }
  // Vocabulary lists are never complete: clear code-task wording ("sluggish", "runbook") or
  // identifiers (snake_case, camelCase, calls) also make a prompt technical.
  if (!technical) technical = codeCues >= 2.5 || IDENTIFIER.test(prompt);
  for (const feature of TASK_FEATURES) {
    if (feature.pattern.test(prose)) add(feature.task, feature.weight, feature.name);
  }
  addStructureCues(parts, prose.split(/\s+/).filter(Boolean).length, add);
  if (!technical) {
    // Everyday prompts: "convert 72 °F", "rewrite this paragraph" are not refactoring.
    for (const task of CODE_TASKS) scores[task] /= 2;
    add('general', 2, 'non-technical');
  }
  return decide(scores, cues, technical);
}

/** snake_case, camelCase or a call such as `foo()` in the prose. */
const IDENTIFIER = /\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][a-zA-Z]*\b|\b\w+\(\)/;

/** Tasks about code: their cues count half in a prompt with no technical word and no code. */
const CODE_TASKS: readonly TaskType[] = [
  'code_generation',
  'code_completion',
  'code_optimization',
  'documentation',
  'refactoring',
  'testing',
];

/**
 * The instruction verb of the first sentence that has one (context often
 * comes first: "Our tests mock everything… Introduce a repository layer").
 */
function addLeadingVerb(
  sentences: readonly string[],
  add: (task: TaskType, weight: number, cue?: string) => void,
): number {
  for (let i = 0; i < sentences.length; i++) {
    const lead = sentences[i]!.replace(POLITE_PREFIX, '');
    for (const verb of LEADING_VERBS) {
      if (verb.pattern.test(lead)) {
        add(verb.task, 2.5, 'leading-verb');
        return i;
      }
    }
  }
  return 0;
}

/** Sentence ends; a dot inside a word (node.js, 0.1) is not one. */
const SENTENCE = /[.?!;]+(?=\s|$)|\n+/;

const NONE: readonly (readonly [TaskType, number])[] = [];

function zeroScores(): Record<TaskType, number> {
  return {
    code_generation: 0,
    code_completion: 0,
    code_optimization: 0,
    documentation: 0,
    explanation: 0,
    refactoring: 0,
    testing: 0,
    analysis: 0,
    general: 0,
  };
}

function addStructureCues(
  parts: PromptParts,
  proseWords: number,
  add: (task: TaskType, weight: number, cue?: string) => void,
): void {
  if (parts.fencedBlocks === 0) return;
  if (parts.unfinishedCode)
    add('code_completion', proseWords <= CODE_ONLY_WORDS ? 5 : 2, 'unfinished-code');
  if (/\bTODO\b|\?\?\?|_{3,}/.test(parts.code)) add('code_completion', 1.5, 'placeholder-in-code');
  // "add the grouping…" said about pasted code extends it.
  if (
    /(?:^|[.?!\n]\s*)(?:now |then |also )?(?:add|extend|append)\b(?! (?:\w+ )?(?:tests?|docs?|comments?|docstrings?))/.test(
      parts.prose,
    )
  ) {
    add('code_completion', 2, 'extend-pasted-code');
  }
  if (/^[ \t]*(?:\w+Error|Traceback|Exception|panic:|at \S+ \(|error\[)/m.test(parts.code)) {
    add('analysis', 2.5, 'pasted-error');
  }
  // Pasted code plus a symptom asks for debugging, whatever the question word.
  if (
    /\b(?:returns? (?:undefined|null|none|nan|wrong)|crash\w*|hangs?|deadlocks?|leaks?|not working|doesn't work|wrong (?:result|output|answer)|looks? off)\b/.test(
      parts.prose,
    )
  ) {
    add('analysis', 4, 'code-with-symptom');
  }
}

function decide(
  scores: Record<TaskType, number>,
  cues: string[][],
  technical: boolean,
): TaskClassification {
  let best: TaskType = PRIORITY[0]!;
  for (const task of PRIORITY) if (scores[task] > scores[best]) best = task;
  let second = 0;
  for (const task of TASK_TYPES) if (task !== best && scores[task] > second) second = scores[task];
  const top = scores[best];
  if (top < 1) {
    // Nothing pointed anywhere: a technical prompt without an instruction is most often a question.
    return { taskType: technical ? 'explanation' : 'general', confidence: 0.2, scores, cues: [] };
  }
  const margin = (top - second) / top;
  const strength = Math.min(1, top / 6);
  return {
    taskType: best,
    confidence: Math.round((0.6 * margin + 0.4 * strength) * 100) / 100,
    scores,
    cues: cues[TASK_TYPES.indexOf(best)]!,
  };
}
