import type { TaskType } from '@orchestrator/core';

/** One prompt of the demo workload, with the task it is meant to exercise. */
export interface WorkloadPrompt {
  readonly task: TaskType;
  readonly complexity: 'simple' | 'moderate' | 'complex';
  readonly prompt: string;
}

// Every task type at more than one complexity, so routing has something to
// learn per task. A few prompts repeat on purpose in the generated stream:
// those are the cache hits.
export const WORKLOAD: readonly WorkloadPrompt[] = [
  {
    task: 'code_generation',
    complexity: 'simple',
    prompt: 'Write a TypeScript function that reverses a string.',
  },
  {
    task: 'code_generation',
    complexity: 'moderate',
    prompt:
      'Write a debounce function in TypeScript with a cancel method and correct typing of the wrapped function.',
  },
  {
    task: 'code_generation',
    complexity: 'complex',
    prompt:
      'Implement a lock-free multi-producer single-consumer ring buffer in Rust with atomic head and tail indices, and explain the memory ordering you chose for each operation.',
  },
  {
    task: 'code_completion',
    complexity: 'simple',
    prompt: 'Complete this function:\n\nfunction isEven(n: number): boolean {\n  return',
  },
  {
    task: 'code_completion',
    complexity: 'moderate',
    prompt:
      'Complete the body:\n\nasync function retry<T>(fn: () => Promise<T>, attempts: number): Promise<T> {\n  // TODO',
  },
  {
    task: 'code_optimization',
    complexity: 'moderate',
    prompt:
      'Optimize this O(n^2) duplicate check for large arrays:\n\nfor (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (a[i] === a[j]) return true;',
  },
  {
    task: 'code_optimization',
    complexity: 'complex',
    prompt:
      "This SQL query over 200M rows takes 40 seconds: SELECT user_id, count(*) FROM events WHERE created_at > now() - interval '7 days' GROUP BY user_id ORDER BY 2 DESC LIMIT 10. Propose indexes, partitioning and a rewrite, with the trade-offs.",
  },
  {
    task: 'refactoring',
    complexity: 'moderate',
    prompt:
      'Refactor this callback-based Node.js code to async/await and remove the duplicated error handling:\n\nfs.readFile(a, (e, x) => { if (e) return cb(e); fs.readFile(b, (e2, y) => { if (e2) return cb(e2); cb(null, x + y); }); });',
  },
  {
    task: 'refactoring',
    complexity: 'complex',
    prompt:
      'Refactor a 2,000-line Express controller that mixes validation, persistence and email sending into a layered design with dependency injection; outline the modules, interfaces and migration steps.',
  },
  {
    task: 'testing',
    complexity: 'simple',
    prompt: 'Write unit tests with vitest for a function add(a, b) that adds two numbers.',
  },
  {
    task: 'testing',
    complexity: 'moderate',
    prompt:
      'Write property-based tests for a function that merges two sorted arrays into one sorted array.',
  },
  {
    task: 'documentation',
    complexity: 'simple',
    prompt:
      'Write a JSDoc comment for a function that clamps a number between a minimum and a maximum.',
  },
  {
    task: 'documentation',
    complexity: 'moderate',
    prompt:
      'Write the README section explaining how to configure retries, timeouts and fallbacks for an HTTP client library.',
  },
  { task: 'explanation', complexity: 'simple', prompt: 'Explain what a closure is in JavaScript.' },
  {
    task: 'explanation',
    complexity: 'moderate',
    prompt:
      'Explain how the JavaScript event loop orders microtasks and macrotasks, with an example.',
  },
  {
    task: 'explanation',
    complexity: 'complex',
    prompt:
      'Explain the Raft consensus algorithm: leader election, log replication, and how safety is preserved across network partitions.',
  },
  {
    task: 'analysis',
    complexity: 'moderate',
    prompt:
      'Analyze the trade-offs between PostgreSQL and MongoDB for an order-management system with strong consistency needs.',
  },
  {
    task: 'analysis',
    complexity: 'complex',
    prompt:
      'Analyze the failure modes of a microservice architecture with synchronous HTTP calls between 12 services, and recommend resilience patterns with their costs.',
  },
  { task: 'general', complexity: 'simple', prompt: 'What is the capital of Australia?' },
  {
    task: 'general',
    complexity: 'simple',
    prompt: 'Suggest three names for a coffee shop that also sells books.',
  },
  {
    task: 'general',
    complexity: 'moderate',
    prompt: 'Plan a three-day trip to Lisbon for someone who likes history and food.',
  },
];

/** A deterministic pseudo-random source (mulberry32), so a workload replays identically. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AUDIENCES = [
  'for a junior developer',
  'for a code review',
  'for our team wiki',
  'with a short example',
  'step by step',
  'concisely',
  'for a production service',
  'with the trade-offs',
];

/**
 * Picks `count` prompts: a workload prompt with a varied framing each, so
 * each is a fresh request the cache has not seen (the traffic generator
 * adds word-for-word repeats itself).
 */
export function pickPrompts(count: number, random: () => number): WorkloadPrompt[] {
  const picked: WorkloadPrompt[] = [];
  for (let i = 0; i < count; i++) {
    const base = WORKLOAD[Math.floor(random() * WORKLOAD.length)]!;
    const audience = AUDIENCES[Math.floor(random() * AUDIENCES.length)]!;
    // A request number makes each framing distinct, as real traffic is.
    const ticket = 1000 + Math.floor(random() * 9000);
    picked.push({ ...base, prompt: `${base.prompt}\n\nAnswer ${audience} (ticket ${ticket}).` });
  }
  return picked;
}
