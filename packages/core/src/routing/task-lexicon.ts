import type { TaskType } from '../types/capabilities.js';
import { stem } from './stem.js';

/**
 * Weak evidence: words (and two-word phrases, joined by `_`) that lean
 * towards a task, as `word:weight`. Many weak cues add up where no phrase
 * rule fires, which is what keeps the classifier working on phrasings nobody
 * wrote a rule for ("this takes forever", "pick up where I left off").
 * Entries are plain words, stemmed once at load, so inflections match.
 */
const RAW_LEXICON: Readonly<Record<TaskType, string>> = {
  code_generation: `
    implement:1.5 snippet:1.5 boilerplate:1.5 scaffold:1.5 gimme:1 put_together:1.5 whip_up:1.5
    script:1 program:1 app:1 extension:1 endpoint:1 cli:1 game:1 bot:1 widget:1 crud:1.5
    microservice:1 decorator:1 middleware:1 dockerfile:1 one_liner:2 regex:1 etl:1 webhook:0.5
    function:0.5 class:0.5 component:0.5 view:0.5 form:0.5 server:0.5 service:0.3 api:0.5
    sample_code:1.5 example_code:1.5 the_code:1 code:0.5 write:0.5 create:0.5 build:0.7
    generate:0.5 make:0.3 develop:0.7 produce:0.5 need:0.3 want:0.3`,
  code_completion: `
    finalize:2 autocomplete:2 fill:1.5 blank:2 gap:1 continue:1.5 rest:1.5 remaining:1.5 missing:1
    unfinished:2 incomplete:2 half_written:2 half_done:2 skeleton:1.5 stub:1 todo:1.5 left_off:2.5
    pick_up:1 as_far:1.5 next_line:1.5 body:1 carry_on:1.5 keep_going:1.5 started:1 partially:1.5
    partial:1`,
  code_optimization: `
    optimize:2.5 optimise:2.5 faster:2.5 speed:2 slow:2 slowly:1.5 sluggish:2.5 laggy:2 lag:1.5
    forever:1.5 performance:2 perf:2 latency:1.5 throughput:2 qps:2 rps:2 fps:1.5 frames:1 jank:2
    smooth:1 efficient:1.5 efficiency:1.5 memory:1 ram:1.5 cpu:1 allocation:1.5 allocations:1.5
    hot:0.5 bottleneck:1 profiler:1.5 pprof:2 flame_graph:1.5 vectorize:2 memoize:2 memoization:2
    squeeze:2 cold_start:2 bundle:1 n+1:1.5 too_long:1 big_input:1.5 large_input:1.5 huge:0.5
    reduce:1 less:0.5 tune:1.5 p99:1.5 p95:1 heavy:0.5 expensive:1 scale:0.5 quicker:2 serially:1.5
    parallel:1 parallelize:2 stutter:2 spike:0.5 cheaper:1 shrink:1.5`,
  documentation: `
    document:2.5 documentation:2.5 doc:2 docs:2 docstring:3 jsdoc:3 javadoc:3 readme:3 changelog:3
    release_notes:3 comment:1.5 comments:1.5 annotate:2 guide:1.5 manual:2 runbook:3 playbook:2
    postmortem:2.5 post_mortem:2.5 wiki:2 tutorial:2 faq:2 reference:1 specification:1.5 adr:2
    design_doc:2.5 write_up:2 writeup:2 onboarding:1 contributing:2 openapi:2 swagger:2 jot:1
    instructions:1 usage:0.5`,
  explanation: `
    explain:3 explanation:3 understand:2 how_come:2.5 why:1.5 what_is:1.5 what_are:1.5
    what_does:1.5 how_does:2 meaning:1.5 mean:1 difference:1.5 the_hood:2 intuition:2 teach:2
    concept:1.5 eli5:3 plain_words:2 plain_english:2 simple_terms:2 clarify:2 confused:2
    don't_get:2 what_happens:2 when_would:1 overview:1 walk_me:2 works:0.5 break_down:1`,
  refactoring: `
    refactor:3 restructure:3 reorganize:2.5 reorganise:2.5 rework:2.5 clean:2 cleanup:2 cleaner:2
    tidy:2.5 readable:2 readability:2 maintainable:2 nicer:2 ugly:2 messy:2 spaghetti:2
    untangle:2.5 polish:2 simplify:2 simpler:1 idiomatic:2.5 modernize:2.5 decouple:2.5 extract:2
    out_into:1.5 helper:0.5 duplication:2 duplicate:1.5 dry:1.5 rename:2 layer:1 abstraction:1
    design_pattern:1.5 god_class:2 split:1 break_up:1.5 migrate:1.5 convert:1 rewrite:1 modular:1
    legacy:1 smell:1.5 debt:1.5 without_changing:2 instead_of:1 commonjs:1.5 es_modules:1
    introduce:1 depend:1 dependency:1 coupling:2 coupled:2 tightly:1 interface:0.5 consolidate:2.5
    copy_pasted:2 dedupe:2 deduplicate:2 magic:1.5 usages:1 swap:1`,
  testing: `
    test:2 tests:2 testing:2 unit_test:2 test_case:2 edge_case:2 coverage:2.5 cover:1 mock:2 stub:1
    fixture:2 property_based:3 fuzz:2.5 verify:1.5 assert:2 assertion:2 regression:1.5 scenario:1.5
    qa:1.5 e2e:2.5 tdd:3 pytest:3 jest:3 vitest:3 mocha:3 junit:3 rspec:3 playwright:3 cypress:3
    selenium:3 k6:3 hypothesis:2 stryker:3 jepsen:3 loom:2 pact:3 testcontainers:3 harness:2
    flaky:2 check_that:1.5 make_sure:1 chaos:2.5 inject:1 resilience:1 test_matrix:2 matrix:0.5`,
  analysis: `
    review:2.5 analyze:3 analyse:3 analysis:1.5 audit:3 assess:2.5 evaluate:2.5 investigate:2.5
    diagnose:2.5 examine:2.5 critique:2.5 critically:2 sanity_check:3 look_over:2 look_off:2
    wrong:1.5 bug:1.5 issue:1 problem:1 root_cause:3 culprit:2.5 cause:1 stack_trace:2.5
    traceback:2.5 going_on:1.5 error:1 exception:1 crash:1.5 leak:2 race:1.5 deadlock:1.5
    vulnerability:2.5 vulnerable:2.5 security:1.5 risk:1.5 risky:1.5 trade_off:2 tradeoff:2
    compare:2.5 comparison:2.5 and_cons:2 better:1 choose:1 estimate:2 forecast:1.5 cost:1
    feasibility:2 feasible:1.5 thoughts_on:1.5 feedback:1.5 opinion:1.5 likely:1 insight:1.5
    trend:2 churn:1 interpret:1.5 significant:1.5 statistically:2 correlate:1.5 flaw:2 weakness:2
    consider:0.5 identify:1.5 safe:0.5 off:0.5`,
  general: `
    email:1 letter:1.5 poem:3 story:2.5 essay:2.5 joke:3 itinerary:3 recipe:3 linkedin:2 tweet:2
    speech:3 toast:2 wedding:2.5 birthday:3 grandma:2 vacation:2 holiday:2 travel:2 trip:2 pack:1.5
    hiking:2 weather:2 capital:1.5 translate:2.5 summarize:1.5 recommend:1.5 podcast:2 book:1.5
    movie:2 music:2 song:2 meal:2 cook:2 bread:2 diet:2 workout:2 marathon:2 fitness:2
    job_offer:2.5 interview:1.5 career:2 salary:2 decision:1 advice:1.5 fahrenheit:3 celsius:3
    won:1.5 world_cup:2 president:2 history:1 paragraph:2 professional:1 proofread:3 grammar:2.5
    polite:2 hi:1 hello:1 thanks:1 how_are_you:2 business_plan:2.5 marketing:1.5 offsite:1.5
    agenda:1.5 party:1.5 gift:2 names:1`,
};

/** A few non-English instruction words (Spanish, German, French, Portuguese): best effort only. */
const FOREIGN: Readonly<Partial<Record<TaskType, string>>> = {
  code_generation: `
    necesito:0.5 escribe:1 crea:1 schreibe:1 erstelle:1 écris:1 crée:1 escreva:1`,
  code_completion: `
    completa:2 vervollständige:2 ergänze:2 complète:2 termina:2`,
  explanation: `
    explica:3 erkläre:3 erklär:3 explique:3 warum:1.5 por_qué:1.5 pourquoi:1.5`,
  refactoring: `
    refactoriza:3 refaktoriere:3 refactorise:3`,
  testing: `
    pruebas:2 teste:1 tests:2`,
};

/** Stemmed single words and stemmed "a b" pairs, each with its task weights. */
export const TASK_LEXICON: ReadonlyMap<string, readonly (readonly [TaskType, number])[]> =
  buildLexicon();

function buildLexicon(): Map<string, [TaskType, number][]> {
  const map = new Map<string, [TaskType, number][]>();
  for (const table of [RAW_LEXICON, FOREIGN]) {
    for (const [task, entries] of Object.entries(table) as [TaskType, string][]) {
      for (const entry of entries.split(/\s+/)) {
        if (entry === '') continue;
        const at = entry.lastIndexOf(':');
        const weight = Number(entry.slice(at + 1));
        // Multi-word entries are keyed by their stemmed pair (the last two words).
        const key = entry.slice(0, at).toLowerCase().split('_').map(stem).slice(-2).join(' ');
        // Inflections share a stem ("test", "tests", "testing"): count the strongest once.
        const list = map.get(key) ?? [];
        const existing = list.findIndex(([t]) => t === task);
        if (existing === -1) list.push([task, weight]);
        else list[existing] = [task, Math.max(list[existing]![1], weight)];
        map.set(key, list);
      }
    }
  }
  return map;
}
