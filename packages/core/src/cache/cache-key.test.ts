import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types/chat.js';
import { cacheKeyFor, canonicalKeyText, normalizeRequestForKey } from './cache-key.js';
import { canonicalJson } from './canonical-json.js';

const request: ChatRequest = {
  messages: [{ role: 'user', content: 'What is 2 + 2?' }],
  temperature: 0,
};

describe('cacheKeyFor', () => {
  it('is stable and hex-shaped', () => {
    const key = cacheKeyFor({ request, model: 'm', tenant: 't' });
    expect(key).toMatch(/^mc1:[0-9a-f]{64}$/);
    expect(cacheKeyFor({ request: { ...request }, model: 'm', tenant: 't' })).toBe(key);
  });

  it('always includes the tenant unless sharing is configured', () => {
    const a = cacheKeyFor({ request, model: 'm', tenant: 'alice' });
    const b = cacheKeyFor({ request, model: 'm', tenant: 'bob' });
    const anonymous = cacheKeyFor({ request, model: 'm' });
    expect(a).not.toBe(b);
    expect(anonymous).not.toBe(a);
    expect(cacheKeyFor({ request, model: 'm', tenant: 'alice' }, true)).toBe(
      cacheKeyFor({ request, model: 'm', tenant: 'bob' }, true),
    );
  });

  it('changes with the model, parameters and every generation setting', () => {
    const base = cacheKeyFor({ request, model: 'm', tenant: 't' });
    expect(cacheKeyFor({ request, model: 'n', tenant: 't' })).not.toBe(base);
    expect(cacheKeyFor({ request, model: 'm', tenant: 't', parameters: { v: 2 } })).not.toBe(base);
    const variants: ChatRequest[] = [
      { ...request, temperature: 0.5 },
      { ...request, topP: 0.9 },
      { ...request, topK: 5 },
      { ...request, stop: ['\n'] },
      { ...request, maxTokens: 10 },
      { ...request, seed: 1 },
      { ...request, presencePenalty: 0.1 },
      { ...request, frequencyPenalty: 0.1 },
      { ...request, system: 'Be terse.' },
      { ...request, responseFormat: { type: 'json' } },
      { ...request, toolChoice: 'none' },
      { ...request, tools: [{ name: 'f', parameters: { type: 'object' } }] },
      { ...request, providerOptions: { openai: { user: 'x' } } },
      { ...request, messages: [{ role: 'user', content: 'What is 2 + 3?' }] },
    ];
    const keys = new Set(variants.map((r) => cacheKeyFor({ request: r, model: 'm', tenant: 't' })));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(base)).toBe(false);
  });

  it('ignores metadata, key order and string-vs-part user content', () => {
    const base = cacheKeyFor({ request, model: 'm', tenant: 't' });
    expect(
      cacheKeyFor({
        request: { ...request, metadata: { traceId: 'abc' } },
        model: 'm',
        tenant: 't',
      }),
    ).toBe(base);
    const parts: ChatRequest = {
      temperature: 0,
      messages: [{ content: [{ text: 'What is 2 + 2?', type: 'text' }], role: 'user' }],
    };
    expect(cacheKeyFor({ request: parts, model: 'm', tenant: 't' })).toBe(base);
  });

  it('is unaffected by prototype-polluting keys in user objects', () => {
    const options = JSON.parse(
      '{"openai":{"user":"u","__proto__":{"admin":true},"constructor":1}}',
    ) as Record<string, Record<string, unknown>>;
    const withHostile = cacheKeyFor({
      request: { ...request, providerOptions: options },
      model: 'm',
      tenant: 't',
    });
    const clean = cacheKeyFor({
      request: { ...request, providerOptions: { openai: { user: 'u' } } },
      model: 'm',
      tenant: 't',
    });
    expect(withHostile).toBe(clean);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('returns undefined for a request with no canonical form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.loop = cyclic;
    expect(
      cacheKeyFor({
        request: { ...request, providerOptions: { x: cyclic } },
        model: 'm',
        tenant: 't',
      }),
    ).toBeUndefined();
  });

  it('keeps field boundaries: values that concatenate alike give different keys', () => {
    const key = (r: ChatRequest, tenant = 't', model = 'm') =>
      cacheKeyFor({ request: r, model, tenant });
    const user = (content: string) => ({ role: 'user' as const, content });
    const distinct = [
      key({ messages: [user('ab'), user('c')] }),
      key({ messages: [user('a'), user('bc')] }),
      key({ messages: [user('abc')] }),
      key({ messages: [user('a'), user('b'), user('c')] }),
      key({ messages: [user('ab')], system: 'c' }),
      key({ messages: [user('a')], system: 'bc' }),
      key({ messages: [user('a","type":"text"}],"role":"user"},{"content":[{"text":"b')] }),
      key({ messages: [user('a'), user('b')] }),
      key({ messages: [user('x')], stop: ['a', 'b'] }),
      key({ messages: [user('x')], stop: ['a,b'] }),
      key({ messages: [user('x')] }, 'ab', 'c'),
      key({ messages: [user('x')] }, 'a', 'bc'),
      key({ messages: [user('x')] }, '"m"', 'x'),
    ];
    expect(new Set(distinct).size).toBe(distinct.length);
  });

  it('hashes exactly the canonical JSON of the normalized envelope (format unchanged)', () => {
    const envelope = (
      r: ChatRequest,
      tenant: string | undefined,
      shared: boolean,
      parameters?: Record<string, unknown>,
    ) =>
      canonicalJson({
        v: 1,
        tenant: shared ? { shared: true } : { id: tenant ?? null },
        model: 'gpt-x',
        parameters,
        request: normalizeRequestForKey(r),
      });
    const cases: ChatRequest[] = [
      request,
      { messages: [] },
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi', name: 'ann' },
          {
            role: 'assistant',
            content: 'Hello',
            toolCalls: [{ id: '1', name: 'f', arguments: '{}' }],
          },
          { role: 'tool', toolCallId: '1', content: 'ok' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look \u2028 "quoted" \\ ✓' },
              { type: 'image', url: 'https://example.com/a.png' },
            ],
          },
        ],
        system: 'sys',
        tools: [
          {
            name: 'f',
            description: 'd',
            parameters: { type: 'object', properties: { b: {}, a: {} } },
          },
        ],
        toolChoice: 'auto',
        responseFormat: { type: 'json' },
        temperature: -0,
        topP: 0.5,
        topK: 3,
        stop: ['x', 'y'],
        maxTokens: 9,
        seed: Number.NaN,
        presencePenalty: 1e-7,
        frequencyPenalty: -2,
        providerOptions: {
          z: { when: new Date(0), big: 10n, f: () => 1, u: undefined },
          a: [undefined, 1],
        },
        metadata: { ignored: true },
      } as unknown as ChatRequest,
    ];
    for (const r of cases) {
      for (const [tenant, shared] of [
        ['t', false],
        [undefined, false],
        ['t', true],
      ] as const) {
        for (const parameters of [undefined, { context: { a: 1 }, taskType: null }]) {
          const expected = envelope(r, tenant, shared, parameters);
          expect(canonicalKeyText({ request: r, model: 'gpt-x', tenant, parameters }, shared)).toBe(
            expected,
          );
          expect(cacheKeyFor({ request: r, model: 'gpt-x', tenant, parameters }, shared)).toBe(
            `mc1:${createHash('sha256').update(expected).digest('hex')}`,
          );
        }
      }
    }
  });
});
