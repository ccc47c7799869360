import { describe, expect, it } from 'vitest';
import { budgetPeriodEnd, budgetPeriodKey } from './budget-period.js';

const at = (iso: string): number => Date.parse(iso);

describe('budgetPeriodKey', () => {
  it('names days, months and the total in UTC', () => {
    expect(budgetPeriodKey('daily', at('2025-03-09T23:59:59.999Z'))).toBe('d:2025-03-09');
    expect(budgetPeriodKey('daily', at('2025-03-10T00:00:00Z'))).toBe('d:2025-03-10');
    expect(budgetPeriodKey('monthly', at('2025-12-31T23:00:00Z'))).toBe('m:2025-12');
    expect(budgetPeriodKey('total', at('2025-12-31T23:00:00Z'))).toBe('total');
  });

  it('names ISO weeks, including the ones that straddle a new year', () => {
    expect(budgetPeriodKey('weekly', at('2025-03-09T12:00:00Z'))).toBe('w:2025-W10'); // Sunday
    expect(budgetPeriodKey('weekly', at('2025-03-10T00:00:00Z'))).toBe('w:2025-W11'); // Monday
    expect(budgetPeriodKey('weekly', at('2021-01-01T00:00:00Z'))).toBe('w:2020-W53');
    expect(budgetPeriodKey('weekly', at('2024-12-30T00:00:00Z'))).toBe('w:2025-W01');
    expect(budgetPeriodKey('weekly', at('2026-01-01T00:00:00Z'))).toBe('w:2026-W01');
  });
});

describe('budgetPeriodEnd', () => {
  it('ends each period at the next UTC boundary', () => {
    const t = at('2025-03-09T15:30:00Z');
    expect(budgetPeriodEnd('daily', t)).toBe(at('2025-03-10T00:00:00Z'));
    expect(budgetPeriodEnd('weekly', t)).toBe(at('2025-03-10T00:00:00Z'));
    expect(budgetPeriodEnd('weekly', at('2025-03-10T00:00:00Z'))).toBe(at('2025-03-17T00:00:00Z'));
    expect(budgetPeriodEnd('monthly', at('2025-12-15T00:00:00Z'))).toBe(at('2026-01-01T00:00:00Z'));
    expect(budgetPeriodEnd('total', t)).toBe(Number.POSITIVE_INFINITY);
  });
});
