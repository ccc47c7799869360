import { describe, expect, it } from 'vitest';
import { chatCompletionSchema, plainChatBody } from './openai-schemas.js';

const MAX_TOKENS = 1_000;
const MAX_MESSAGES = 3;
const schema = chatCompletionSchema(MAX_TOKENS, MAX_MESSAGES);
const user = { role: 'user', content: 'hi' };

/** Bodies the hand check takes: each must parse to itself with the schema. */
const plain: Record<string, unknown>[] = [
  { model: 'gpt-4o-mini', messages: [user] },
  { model: 'm', messages: [user], stream: true },
  { model: 'x'.repeat(256), messages: [user, user, user], stream: false },
  {
    model: 'auto',
    messages: [
      { role: 'system', content: 'be brief', name: 'sys' },
      { role: 'developer', content: '' },
      { role: 'assistant', content: 'ok', name: 'a' },
    ],
    temperature: 2,
    top_p: 0,
    max_tokens: MAX_TOKENS,
    max_completion_tokens: 1,
    user: 'ignored',
    stream_options: { include_usage: true },
  },
  { model: 'm', messages: [user], temperature: null, top_p: null, stream_options: null },
  { model: 'm', messages: [user], max_tokens: null, stream_options: {} },
];

/** Bodies left to the schema (which may accept some of them, changed, or refuse them). */
const notPlain: unknown[] = [
  undefined,
  null,
  'text',
  [user],
  {},
  { model: '', messages: [user] },
  { model: 'x'.repeat(257), messages: [user] },
  { model: 7, messages: [user] },
  { model: 'm', messages: [] },
  { model: 'm', messages: [user, user, user, user] },
  { model: 'm', messages: user },
  { model: 'm', messages: [user], stream: 'yes' },
  { model: 'm', messages: [user], n: 1 },
  { model: 'm', messages: [user], unknown: 1 },
  { model: 'm', messages: [user], orchestrator: { strategy: 'balanced' } },
  { model: 'm', messages: [user], temperature: 2.5 },
  { model: 'm', messages: [user], temperature: '1' },
  { model: 'm', messages: [user], top_p: 1.5 },
  { model: 'm', messages: [user], max_tokens: 0 },
  { model: 'm', messages: [user], max_tokens: MAX_TOKENS + 1 },
  { model: 'm', messages: [user], max_tokens: 1.5 },
  { model: 'm', messages: [user], max_completion_tokens: -1 },
  { model: 'm', messages: [user], user: 5 },
  { model: 'm', messages: [user], stream_options: { include_usage: 'no' } },
  { model: 'm', messages: [user], stream_options: { other: true } },
  { model: 'm', messages: [user], stream_options: [] },
  { model: 'm', messages: [{ role: 'tool', content: 'r', tool_call_id: 'c1' }] },
  { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  { model: 'm', messages: [{ role: 'assistant', content: null }] },
  { model: 'm', messages: [{ role: 'assistant', content: 'x', tool_calls: [] }] },
  { model: 'm', messages: [{ role: 'user', content: 'x', extra: 1 }] },
  { model: 'm', messages: [{ role: 'user', content: 'x', name: 3 }] },
  { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
  { model: 'm', messages: [{ content: 'x' }] },
  { model: 'm', messages: [null] },
  Object.assign(Object.create({ inherited: true }), { model: 'm', messages: [user] }),
];

describe('plainChatBody', () => {
  it.each(plain)('takes %j, which the schema parses to the same body', (body) => {
    const parsed = schema.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(plainChatBody(body, MAX_TOKENS, MAX_MESSAGES)).toBe(body);
    expect(parsed.data).toEqual(body);
  });

  it.each(notPlain)('leaves %j to the schema', (body) => {
    expect(plainChatBody(body, MAX_TOKENS, MAX_MESSAGES)).toBeUndefined();
  });

  it('never takes a body the schema would refuse or change (random bodies)', () => {
    // A small seeded generator over the fields the hand check looks at.
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const values = [undefined, null, 0, 1, -1, 0.5, 1.5, 2, 3, 1_000, 1_001, '', 'x', true, [], {}];
    const roles = ['system', 'developer', 'user', 'user', 'assistant', 'tool', 'robot', 1];
    let taken = 0;
    for (let i = 0; i < 3_000; i++) {
      const body: Record<string, unknown> = {};
      if (next() < 0.95) body.model = next() < 0.9 ? 'gpt' : pick(values);
      for (const key of ['stream', 'temperature', 'top_p', 'max_tokens', 'user', 'n']) {
        const value = pick(values);
        if (value !== undefined && next() < 0.25) body[key] = value;
      }
      const count = Math.floor(next() * 5);
      body.messages = Array.from({ length: count }, () => {
        const message: Record<string, unknown> = { role: pick(roles) };
        message.content = next() < 0.9 ? 'text' : pick(values);
        if (next() < 0.2) message.name = pick(['n', 1]);
        return message;
      });
      const fast = plainChatBody(body, MAX_TOKENS, MAX_MESSAGES);
      if (fast === undefined) continue;
      taken++;
      const parsed = schema.safeParse(body);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(body);
    }
    expect(taken).toBeGreaterThan(50);
  });
});
