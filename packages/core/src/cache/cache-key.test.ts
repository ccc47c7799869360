import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types/chat.js';
import { cacheKeyFor } from './cache-key.js';

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
});
