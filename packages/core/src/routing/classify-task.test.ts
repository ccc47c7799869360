import { describe, expect, it } from 'vitest';
import { TASK_TYPES, type TaskType } from '../types/capabilities.js';
import { loadLabelledPrompts } from './__fixtures__/load-labelled-prompts.js';
import { analyzeComplexity, COMPLEXITY_LEVELS } from './analyze-complexity.js';
import { classifyTask } from './classify-task.js';

const labelled = loadLabelledPrompts();

function confusion(rows: readonly { actual: TaskType; predicted: TaskType }[]): string {
  const short = (t: string) => t.replace('code_', 'c_').slice(0, 10).padStart(11);
  const lines = [`${'label \\ got'.padEnd(18)}${TASK_TYPES.map(short).join('')}`];
  for (const actual of TASK_TYPES) {
    const counts = TASK_TYPES.map(
      (p) => rows.filter((r) => r.actual === actual && r.predicted === p).length,
    );
    lines.push(`${actual.padEnd(18)}${counts.map((c) => String(c).padStart(11)).join('')}`);
  }
  return lines.join('\n');
}

describe('the labelled prompt set', () => {
  it('has at least 150 prompts covering every task type and every level, with unique ids', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(150);
    expect(new Set(labelled.map((p) => p.id)).size).toBe(labelled.length);
    for (const task of TASK_TYPES)
      expect(labelled.filter((p) => p.taskType === task).length).toBeGreaterThanOrEqual(15);
    for (const level of COMPLEXITY_LEVELS) {
      expect(labelled.filter((p) => p.complexity === level).length).toBeGreaterThanOrEqual(15);
    }
  });
});

describe('classifyTask on the labelled set', () => {
  const rows = labelled.map((p) => ({
    ...p,
    actual: p.taskType,
    predicted: classifyTask(p.prompt).taskType,
  }));
  const accuracy = (subset: typeof rows) =>
    subset.filter((r) => r.actual === r.predicted).length / subset.length;

  it('reaches the stated accuracy (prints the confusion matrix)', () => {
    const bySplit = ['dev', 'holdout', 'stress', 'fresh'].map(
      (s) => `${s} ${(100 * accuracy(rows.filter((r) => r.split === s))).toFixed(1)}%`,
    );
    console.log(
      `task accuracy ${(100 * accuracy(rows)).toFixed(1)}% (${bySplit.join(', ')})\n${confusion(rows)}\n` +
        rows
          .filter((r) => r.actual !== r.predicted)
          .map((r) => `  miss ${r.id}: ${r.actual} -> ${r.predicted}`)
          .join('\n'),
    );
    expect(accuracy(rows)).toBeGreaterThanOrEqual(0.95);
    // The holdout split never changed a rule.
    expect(accuracy(rows.filter((r) => r.split === 'holdout'))).toBeGreaterThanOrEqual(0.9);
  });

  it('recalls every task type at least 85% of the time', () => {
    for (const task of TASK_TYPES) {
      const ofTask = rows.filter((r) => r.actual === task);
      expect(accuracy(ofTask), task).toBeGreaterThanOrEqual(0.85);
    }
  });
});

describe('classifyTask', () => {
  it('returns a score for every task type and a confidence in [0, 1]', () => {
    const result = classifyTask('Write unit tests for the parser.');
    expect(result.taskType).toBe('testing');
    expect(Object.keys(result.scores).sort()).toEqual([...TASK_TYPES].sort());
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.cues.length).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const prompt = 'Refactor this module and add tests for it.';
    expect(classifyTask(prompt)).toEqual(classifyTask(prompt));
  });

  it('reads pasted code that stops mid-way as a completion request', () => {
    expect(
      classifyTask('```ts\nexport function sum(xs: number[]) {\n  return xs.reduce(\n```').taskType,
    ).toBe('code_completion');
  });

  it('sends everyday prompts to general even when they use code-task verbs', () => {
    expect(classifyTask('convert 72 fahrenheit to celsius').taskType).toBe('general');
    expect(
      classifyTask('Rewrite this paragraph to sound friendlier: we are closed on Monday.').taskType,
    ).toBe('general');
    expect(classifyTask('hello!').taskType).toBe('general');
  });

  it('weighs the instruction over the context before it', () => {
    expect(
      classifyTask(
        'Our tests are slow and flaky because of the database. Introduce an interface so we can swap it.',
      ).taskType,
    ).toBe('refactoring');
  });

  it('is not fooled by "explaining" as a participle or by SQL EXPLAIN', () => {
    expect(classifyTask('Write inline comments explaining each step of the loop.').taskType).toBe(
      'documentation',
    );
    expect(
      classifyTask(
        'The report query went from 40ms to 6s. EXPLAIN shows a sequential scan. How do we fix it?',
      ).taskType,
    ).toBe('code_optimization');
  });

  it('treats pasted code plus a symptom as debugging', () => {
    expect(
      classifyTask(
        'Why does this return undefined?\n```js\nfunction f() { [1].forEach(x => { return x; }); }\n```',
      ).taskType,
    ).toBe('analysis');
  });

  it('stays linear on hostile input (no catastrophic backtracking)', () => {
    const n = 200_000;
    const hostile = [
      '\n'.repeat(n),
      ' '.repeat(n),
      'a'.repeat(n),
      '`'.repeat(n),
      `\`\`\`\n${'"""\n'.repeat(n / 4)}`,
      `\`\`\`py\ndef f():\n${'    # c\n'.repeat(n / 8)}`,
      'write '.repeat(n / 6),
      '- item\n'.repeat(n / 7),
      `complete this ${'('.repeat(n / 2)}`,
      'x_'.repeat(n / 2),
    ];
    const started = performance.now();
    for (const text of hostile) {
      classifyTask(text);
      analyzeComplexity(text);
    }
    // Linear work on ~2 MB takes well under a second; a quadratic regex would take minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('falls back to explanation for a technical prompt without any instruction', () => {
    expect(classifyTask('kubernetes sidecar?')).toMatchObject({
      taskType: 'explanation',
      confidence: 0.2,
    });
  });
});
