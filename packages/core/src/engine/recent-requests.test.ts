import { describe, expect, it } from 'vitest';
import { RecentRequests } from './recent-requests.js';

describe('RecentRequests', () => {
  it('always keeps at least the last `max` ids, and never more than twice that', () => {
    const max = 3;
    const recent = new RecentRequests<number>(max);
    for (let n = 1; n <= 20; n++) {
      recent.set(`r${n}`, n);
      for (let k = Math.max(1, n - max + 1); k <= n; k++) expect(recent.get(`r${k}`)).toBe(k);
      expect(recent.size).toBeLessThanOrEqual(2 * max);
    }
    expect(recent.get('r1')).toBeUndefined();
    expect(recent.get('r13')).toBeUndefined();
  });

  it('an id seen again takes the new value', () => {
    const recent = new RecentRequests<string>(2);
    recent.set('a', 'first');
    recent.set('b', 'b');
    recent.set('c', 'c');
    recent.set('a', 'second');
    expect(recent.get('a')).toBe('second');
    expect(recent.get('c')).toBe('c');
  });

  it('refuses a window that is not a positive integer', () => {
    expect(() => new RecentRequests(0)).toThrow(/positive integer/);
    expect(() => new RecentRequests(1.5)).toThrow(/positive integer/);
  });
});
