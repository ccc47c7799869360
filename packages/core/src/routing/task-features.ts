import type { TaskType } from '../types/capabilities.js';

/** One weighted cue: when `pattern` matches the prompt's prose, `task` gains `weight`. */
export interface TaskFeature {
  readonly task: TaskType;
  readonly weight: number;
  readonly pattern: RegExp;
  /** A short name shown in `scores` explanations and the README. */
  readonly name: string;
}

const f = (task: TaskType, weight: number, name: string, pattern: RegExp): TaskFeature => ({
  task,
  weight,
  name,
  pattern,
});

/**
 * Cues matched against the prose (lower-cased, fenced code removed). Weights
 * reflect how decisive a cue is: 3 names the task outright ("write unit
 * tests", "refactor"), 2 is a strong hint, 1 a weak one. Cues that often
 * appear inside other tasks ("test" in "keep the tests green", "explaining"
 * in "comments explaining") are written as phrases so they only fire in
 * the right sense.
 */
export const TASK_FEATURES: readonly TaskFeature[] = [
  // code_generation: a creation verb with a code artifact.
  f(
    'code_generation',
    2,
    'create-artifact',
    /\b(?:write|create|build|implement|generate|make|code|develop|scaffold|give me|need|want)\b[^.?!\n]{0,40}?\b(?:function|class|script|program|api|endpoint|component|module|query|regex|cli|tool|server|app|application|service|microservice|dockerfile|workflow|middleware|kernel|operator|decorator|one-liner|pipeline|game|parser|compiler|queue|cache|library|sdk|bot|hook|handler|interpreter|jit|backend|frontend|website|crud|etl|consumer|producer|struct|enum|trait)s?\b/,
  ),
  f(
    'code_generation',
    2,
    'example-of',
    /\b(?:example|sample|snippet|demo|boilerplate) (?:of|for|showing)\b|^\s*(?:could|can) i (?:get|have|see)\b/,
  ),

  // code_completion: finishing code the user started.
  f(
    'code_completion',
    3,
    'complete/finish',
    /\b(?:complete|finish|finalize|autocomplete|auto-complete)\b (?:this|the|my|it|that|these|writing|implementing|off|up)\b(?! (?:guide|list|overview|documentation|docs|history|picture|beginner))|^\s*(?:complete|finish)\b/,
  ),
  f(
    'code_completion',
    3,
    'fill-in',
    /\bfill (?:in|out)\b|\bfill the (?:gap|blank)s?\b|\bthe blank\b|\bthe gaps?\b/,
  ),
  f(
    'code_completion',
    2.5,
    'continue',
    /^\s*continue\b|\bcontinue (?:this|the|writing|my)\b|\bcontinue$/,
  ),
  f(
    'code_completion',
    2.5,
    'rest/remaining',
    /\b(?:rest of|remaining (?:methods|handlers|cases|functions|parts?|lines|code|routes)|missing (?:body|part|lines|code|methods|cases))\b/,
  ),
  f(
    'code_completion',
    2,
    'next-lines',
    /\bnext (?:few )?lines\b|\bwhat (?:should|goes|comes) (?:go )?(?:in|here|next)\b/,
  ),
  f(
    'code_completion',
    2.5,
    'left-off',
    /\b(?:where i left off|do the rest|got as far as|write the body|just the body|carry on|keep going)\b/,
  ),
  f(
    'code_completion',
    2,
    'partial-code',
    /\b(?:half-written|half-done|half written|unfinished|skeleton|started writing|i started|the start of|partially written|stub)\b/,
  ),

  // code_optimization: performance.
  f(
    'code_optimization',
    2,
    'slow',
    /\b(?:slow|takes? (?:\d+|several|many|forever)[^.]{0,20}(?:seconds|minutes|hours)|times? out|too long)\b/,
  ),
  f(
    'code_optimization',
    2,
    'reduce-cost',
    /\b(?:reduce|cut|lower|improve|increase|decrease|minimi[sz]e)\b[^.?!\n]{0,40}\b(?:memory|latency|time|size|throughput|performance|load time|cold start|cpu|allocations|draw calls|hit rate)\b/,
  ),
  f(
    'code_optimization',
    2,
    'technique',
    /\b(?:vectori[sz]e|memoi[sz]\w*|cache blocking|simd|zero-copy|profil(?:ing|er|ed)|tune|tuning|big-?o|o\(n\^?2\)|o\(n²\))\b/,
  ),
  f(
    'code_optimization',
    2.5,
    'perf-regression',
    /\bwent from \d[\d.,]* ?(?:ms|s|sec|seconds|minutes|min|mb|gb)\b|\b(?:get|bring|cut) (?:it|this|that|them|the \w+)? ?(?:down )?(?:to|under|below) \d/,
  ),
  f(
    'code_optimization',
    2,
    'better-way',
    /\bmore efficient\b|\b(?:better|faster|cheaper|quicker) (?:way|approach|version)\b|\bmake (?:it|this) cheaper\b/,
  ),
  f(
    'code_optimization',
    2,
    'got-slower',
    /\bused to (?:take|finish|run|load|be)\b|\b(?:use|uses|using) less\b|\b(?:req|requests)\/s(?:ec)?\b/,
  ),

  // documentation: writing docs.
  f(
    'documentation',
    3,
    'docs-artifact',
    /\b(?:docstrings?|jsdoc|javadoc|tsdoc|readme|changelog|release notes|contributing(?:\.md)?|runbook|(?:user|style|migration|developer|setup|installation|upgrade|contributor|how-to) guide|how-to|walkthrough|tutorial|explainer|primer|cheat ?sheet|api (?:reference|docs|documentation)|openapi|swagger|architecture decision record|adr|design doc(?:ument)?|technical spec\w*|specification|manual|onboarding (?:docs|documentation|guide)|docs page|man page|wiki page)\b/,
  ),
  f(
    'documentation',
    2.5,
    'comments',
    /\b(?:add|write|generate)\b[^.?!\n]{0,30}\bcomments?\b|\binline comments?\b|\bcomment (?:this|the|my) code\b/,
  ),

  // explanation: understanding something.
  // "explaining" is left out: it is nearly always a participle ("comments explaining each step").
  f(
    'explanation',
    2,
    'how-does',
    /\bhow (?:does|do|is|are)\b[^.?!\n]{0,60}\bwork\w*\b|\bhow does\b/,
  ),

  // refactoring: restructuring without changing behaviour.
  f(
    'refactoring',
    2.5,
    'same-behaviour',
    /\bwithout changing\b|\b(?:keeping|keep|preserving|preserve)\b[^.?!\n]{0,40}\b(?:behaviou?r|the same|identical|green|api)\b|\bbyte-for-byte\b/,
  ),
  f(
    'refactoring',
    2,
    'convert',
    /\b(?:convert|migrate|port|rewrite|move)\b[^.?!\n]{0,60}\b(?:to|into|from)\b|\breplace\b[^.?!\n]{0,60}\bwith\b/,
  ),
  f(
    'refactoring',
    2,
    'mechanics',
    /\b(?:rename|extract|split (?:this|it|the)|break (?:up|down)|remove (?:the )?duplicat\w+|duplication|early returns?|parameter object|strategy pattern|design pattern|solid|god class|dependency injection|hexagonal|strangler|async\/await|hooks|separate)\b/,
  ),

  // testing.
  f(
    'testing',
    3,
    'write-tests',
    /\b(?:unit|integration|e2e|end-to-end|snapshot|regression|load|fuzz|property-based|contract|mutation|smoke|acceptance|table-driven|model-checking|simulation) tests?\b|\btests? (?:for|that|cases?|suite|plan|harness|coverage|strategy)\b|\btest(?:ing)? strategy\b/,
  ),
  f(
    'testing',
    3,
    'check-correct',
    /\b(?:make|be) sure\b[^.?!\n]{0,40}\b(?:right|correct|works?|handles?)\b|\binputs? that should\b|\bshould(?:n't| not)? (?:match|pass|fail)\b|\bchaos (?:experiment|test|engineering)\b|\bfault injection\b/,
  ),

  // analysis: judging code, data or designs.
  // Verbs only: "analysis" as a noun ("static analysis tools") is not a request.
  f(
    'analysis',
    3,
    'review',
    /\b(?:review|audit|analy[sz]e|analysing|analyzing|assess|evaluate|investigate|diagnose|critique)\b|\banalysis of\b|\b(?:do|perform|run) an? (?:\w+ )?(?:analysis|review)\b/,
  ),
  f(
    'analysis',
    3,
    'find-bug',
    /\b(?:any bugs?|a bug|find (?:the |a )?(?:bug|race|leak|issue|problem|flaw)s?|what's wrong|what is wrong|is there a bug|race condition|memory leak|vulnerab\w*|redos|oomkilled)\b/,
  ),
  f(
    'analysis',
    3,
    'hypothesize',
    /\bwhat (?:might|could|would) (?:explain|cause|be causing)\b|\bwhat (?:trends?|patterns?) do you see\b|\bwhat could be (?:causing|the cause)\b/,
  ),
  f(
    'analysis',
    2.5,
    'judgement',
    /\bis (?:it|this|that) (?:a )?(?:good|bad|wise|safe|ok|okay|sane|reasonable)(?: idea)?\b|\bis it (?:a )?(?:good|bad) idea\b|\bpoint out\b|\b(?:rate|grade|score) (?:our|my|this)\b/,
  ),
  f(
    'analysis',
    2,
    'problems-in',
    /\b(?:problems?|issues?|mistakes?|flaws?|smells?)\b[^.?!\n]{0,20}\b(?:in|with)\b|\bcheck (?:this|my|the|for|whether|if)\b|\bmissing index\w*\b/,
  ),
  f(
    'analysis',
    2.5,
    'compare',
    /\b(?:compare|comparison|trade-?offs?|pros and cons|which (?:should|one|is better)|should i (?:pick|choose|use)|versus)\b/,
  ),
  f(
    'analysis',
    2,
    'judge',
    /\b(?:complexity of|time and space|bottlenecks?|significant|correctness|security review|threat|risks?|least privilege|anomal\w+|invariants?|guarantee\w*|compl(?:y|ies|iance))\b/,
  ),
  f(
    'analysis',
    1.5,
    'bug-symptom',
    /\b(?:returns? undefined|crash\w*|fails?|failing|error|errors|exception|broken|not working|wrong result|502s?|spike)\b/,
  ),

  // general: everyday writing and questions.
  f(
    'general',
    3,
    'everyday-writing',
    /\b(?:write|draft|compose|pen|prepare)\b[^.?!\n]{0,40}\b(?:e-?mail|letter|poem|story|essay|speech|toast|post|tweet|message|note|bio|cover letter|proposal|plan)\b/,
  ),
  f(
    'general',
    2,
    'everyday-topic',
    /\b(?:joke|itinerary|recipe|linkedin|wedding|birthday|vacation|holiday|meal plan|training plan|business plan|grant proposal|agenda)\b/,
  ),
  f(
    'general',
    2,
    'recommendation',
    /\b(?:some good|a good|best|recommend\w*|suggest\w*)\b[^.?!\n]{0,25}\b(?:books?|podcasts?|movies?|films?|shows?|laptops?|phones?|places|restaurants?|names?|gifts?|songs?|games?)\b/,
  ),
  f(
    'general',
    2,
    'everyday-ask',
    /\b(?:translate|recommend|suggest names|summari[sz]e|capital of|weather|books? on|podcasts?|movie|restaurant|travel|trip|budget for|how are you|hi|hello|thanks)\b/,
  ),
];
