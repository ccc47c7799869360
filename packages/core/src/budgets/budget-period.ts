export const BUDGET_PERIODS = ['daily', 'weekly', 'monthly', 'total'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/**
 * The ledger bucket a moment falls in, in UTC so every instance of the
 * gateway agrees whatever its time zone: `d:2025-03-09`, `w:2025-W10` (ISO
 * week, Monday first, the year being the ISO week-numbering year),
 * `m:2025-03`, or `total`.
 */
export function budgetPeriodKey(period: BudgetPeriod, epochMs: number): string {
  if (period === 'total') return 'total';
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  const month = pad(date.getUTCMonth() + 1);
  if (period === 'monthly') return `m:${year}-${month}`;
  if (period === 'daily') return `d:${year}-${month}-${pad(date.getUTCDate())}`;
  const { isoYear, week } = isoWeek(date);
  return `w:${isoYear}-W${pad(week)}`;
}

/** Epoch ms at which the period containing `epochMs` ends (Infinity for `total`). */
export function budgetPeriodEnd(period: BudgetPeriod, epochMs: number): number {
  const d = new Date(epochMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (period) {
    case 'total':
      return Number.POSITIVE_INFINITY;
    case 'daily':
      return Date.UTC(y, m, day + 1);
    case 'monthly':
      return Date.UTC(y, m + 1, 1);
    case 'weekly': {
      const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
      return Date.UTC(y, m, day - weekday + 7);
    }
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO 8601 week: the week with the year's first Thursday is week 1. */
function isoWeek(date: Date): { isoYear: number; week: number } {
  const thursday = new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7),
    ),
  );
  const isoYear = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  const week =
    1 +
    Math.round(
      ((thursday.getTime() - firstThursday.getTime()) / 86_400_000 -
        3 +
        ((firstThursday.getUTCDay() + 6) % 7)) /
        7,
    );
  return { isoYear, week };
}
