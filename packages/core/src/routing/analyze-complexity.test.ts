import { describe, expect, it } from 'vitest';
import { loadLabelledPrompts } from './__fixtures__/load-labelled-prompts.js';
import {
  analyzeComplexity,
  COMPLEXITY_LEVELS,
  COMPLEXITY_WEIGHTS,
  type ComplexityLevel,
  type ComplexitySignals,
  levelFor,
  SCORE_ORDER,
  scoreSignals,
} from './analyze-complexity.js';

const labelled = loadLabelledPrompts();
const index = (level: ComplexityLevel) => COMPLEXITY_LEVELS.indexOf(level);

describe('analyzeComplexity on the labelled set', () => {
  const rows = labelled.map((p) => ({ ...p, predicted: analyzeComplexity(p.prompt).level }));
  const exact = (subset: typeof rows) =>
    subset.filter((r) => r.predicted === r.complexity).length / subset.length;
  const withinOne = (subset: typeof rows) =>
    subset.filter((r) => Math.abs(index(r.predicted) - index(r.complexity)) <= 1).length /
    subset.length;

  it('reaches the stated accuracy (prints the confusion matrix)', () => {
    const matrix = COMPLEXITY_LEVELS.map(
      (actual) =>
        `${actual.padEnd(10)}${COMPLEXITY_LEVELS.map((p) =>
          String(rows.filter((r) => r.complexity === actual && r.predicted === p).length).padStart(
            10,
          ),
        ).join('')}`,
    );
    const unseen = rows.filter((r) => r.split === 'holdout' || r.split === 'fresh');
    console.log(
      `complexity exact ${(100 * exact(rows)).toFixed(1)}%, within one ${(100 * withinOne(rows)).toFixed(1)}%; ` +
        `on splits the weight fit never saw: exact ${(100 * exact(unseen)).toFixed(1)}%\n` +
        `${'label \\ got'.padEnd(10)}${COMPLEXITY_LEVELS.map((l) => l.padStart(10)).join('')}\n${matrix.join('\n')}`,
    );
    expect(exact(rows)).toBeGreaterThanOrEqual(0.75);
    expect(withinOne(rows)).toBeGreaterThanOrEqual(0.95);
    expect(exact(unseen)).toBeGreaterThanOrEqual(0.7);
    expect(withinOne(unseen)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('analyzeComplexity', () => {
  it('rates a one-line exercise simple and a consensus implementation expert', () => {
    expect(analyzeComplexity('Write a function to reverse a string.').level).toBe('simple');
    const expert = analyzeComplexity(
      'Implement Raft consensus in Rust with linearizable reads, snapshotting and membership changes; it must survive network partitions and clock skew.',
    );
    expect(expert.level).toBe('expert');
    expect(expert.signals.expertTerms).toBeGreaterThanOrEqual(3);
  });

  it('grows with requirements, constraints and pasted code, and shrinks with "simple"', () => {
    const base = analyzeComplexity('Build an HTTP API for orders.').score;
    const more = analyzeComplexity(
      'Build an HTTP API for orders with pagination, filtering, idempotent writes, auth and audit logs; p99 must stay under 50 ms.',
    ).score;
    expect(more).toBeGreaterThan(base);
    const code = `Review this:\n\`\`\`js\n${'doThing();\n'.repeat(30)}\`\`\``;
    expect(analyzeComplexity(code).signals.codeLines).toBe(30);
    expect(analyzeComplexity('a simple quick small script').score).toBe(0);
  });

  it('reads the last user message of a request and counts earlier turns', () => {
    const analysis = analyzeComplexity({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: [{ type: 'text', text: 'Explain the CAP theorem.' }] },
      ],
    });
    expect(analysis.signals.priorTurns).toBe(2);
    expect(analysis.signals.words).toBe(4);
  });

  it('maps scores to levels at the documented thresholds', () => {
    expect(levelFor(0)).toBe('simple');
    expect(levelFor(1.45)).toBe('moderate');
    expect(levelFor(4.7)).toBe('complex');
    expect(levelFor(8.75)).toBe('expert');
  });
});

describe('scoreSignals', () => {
  it('adds the signals in the order of COMPLEXITY_WEIGHTS (bit-identical to a loop over it)', () => {
    expect(SCORE_ORDER).toEqual(Object.keys(COMPLEXITY_WEIGHTS));
    const signals: ComplexitySignals = {
      words: 61,
      codeLines: 9,
      requirements: 3,
      constraints: 2,
      steps: 1,
      advancedTerms: 2,
      intermediateTerms: 1,
      expertTerms: 1,
      quantities: 2,
      simplicityMarkers: 1,
      priorTurns: 3,
      ownSystem: true,
    };
    let loop = 0.45;
    for (const [name, { weight, cap }] of Object.entries(COMPLEXITY_WEIGHTS)) {
      loop += Math.min(signals[name as keyof typeof COMPLEXITY_WEIGHTS], cap) * weight;
    }
    expect(scoreSignals(signals)).toBe(Math.max(0, Math.round(loop * 100) / 100));
  });
});
