import { describe, expect, it } from 'vitest';
import { RecentRequests } from './recent-requests.js';

describe('RecentRequests', () => {
  it('keeps the last `max` ids and forgets the oldest first', () => {
    const recent = new RecentRequests<number>(3);
    for (let i = 1; i <= 5; i++) recent.set(`r${i}`, i);
    expect(recent.size).toBe(3);
    expect(recent.get('r1')).toBeUndefined();
    expect(recent.get('r2')).toBeUndefined();
    expect([recent.get('r3'), recent.get('r4'), recent.get('r5')]).toEqual([3, 4, 5]);
  });

  it('updates an id seen again without letting it push another out', () => {
    const recent = new RecentRequests<string>(2);
    recent.set('a', 'first');
    recent.set('b', 'b');
    recent.set('a', 'second');
    expect(recent.size).toBe(2);
    expect(recent.get('a')).toBe('second');
    expect(recent.get('b')).toBe('b');
    recent.set('c', 'c');
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('b')).toBe('b');
    expect(recent.get('c')).toBe('c');
  });

  it('refuses a window that is not a positive integer', () => {
    expect(() => new RecentRequests(0)).toThrow(/positive integer/);
    expect(() => new RecentRequests(1.5)).toThrow(/positive integer/);
  });
});
