import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1}');
  });

  it('keeps array order and distinguishes types', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson(Number.NaN)).not.toBe(canonicalJson(null));
    expect(canonicalJson(-0)).toBe(canonicalJson(0));
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('ignores __proto__ and constructor keys and pollutes nothing', () => {
    const hostile = JSON.parse(
      '{"a":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"n":{"__proto__":{"x":1}}}',
    ) as unknown;
    expect(canonicalJson(hostile)).toBe(canonicalJson({ a: 1, n: {} }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('escapes strings so content cannot forge structure', () => {
    expect(canonicalJson({ a: '","b":"' })).not.toBe(canonicalJson({ a: '', b: '' }));
  });

  it('refuses cycles and absurd depth, but accepts shared references', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(CanonicalizationError);
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(CanonicalizationError);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
