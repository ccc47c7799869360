import { describe, expect, it } from 'vitest';
import { newRequestId } from './gateway-context.js';

describe('newRequestId', () => {
  it('gives req_ and 32 hex digits, never the same id twice (across refills of its pool)', () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // 128 random bits: every hex digit takes every value somewhere (not a counter, not a constant).
    for (let position = 4; position < 36; position++)
      expect(new Set(ids.map((id) => id[position])).size).toBe(16);
  });
});
