import { hashString, seededRandom } from './seeded-random.js';

const OPENERS = [
  'Here is a concise answer',
  'In short',
  'The key point is this',
  'To address the request',
  'Working through it step by step',
];
const BODY = [
  'the approach is to break the problem into small, testable parts',
  'each part is handled separately and then combined',
  'edge cases such as empty input and very large values need care',
  'the result can be checked against a few known examples',
  'performance stays linear in the size of the input',
  'clear names and short functions keep it maintainable',
  'errors are reported with a message that names the problem',
  'the same idea generalizes to related tasks',
];

/** Every simulated answer says so, so nobody mistakes it for a real model's output. */
export const SIMULATED_PREFIX = '[simulated]';

/**
 * Plausible, deterministic text for a prompt: the same prompt and model give
 * the same answer. Roughly `tokens` tokens long (about 4 characters a token).
 */
export function simulateText(prompt: string, model: string, tokens = 40, quality = 0.8): string {
  const random = seededRandom(hashString(`${model}\u0000${prompt}`));
  const topic = prompt.replace(/\s+/g, ' ').trim().slice(0, 60);
  const parts = [
    `${SIMULATED_PREFIX} ${OPENERS[Math.floor(random() * OPENERS.length)]} (${model}): "${topic}".`,
  ];
  const targetChars = Math.max(16, Math.round(tokens * 4 * (0.6 + 0.4 * quality)));
  let length = parts[0]!.length;
  while (length < targetChars) {
    const sentence = BODY[Math.floor(random() * BODY.length)]!;
    const text = ` ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
    parts.push(text);
    length += text.length;
  }
  return parts.join('');
}

/** Splits text into stream pieces of about one token each (a word with its leading space). */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? (text ? [text] : []);
}

/** The approximate token count the fakes report as usage. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}
