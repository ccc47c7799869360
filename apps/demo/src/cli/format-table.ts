export type Align = 'left' | 'right';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  readonly align?: Align;
}

/** A plain-text table with aligned columns (numbers right, text left). */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => r[i]?.length ?? 0)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) =>
        columns[i]?.align === 'right' ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '─'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}

export const usd = (n: number | undefined): string =>
  n === undefined ? '–' : n < 0.01 ? `$${n.toFixed(5)}` : `$${n.toFixed(4)}`;
export const ms = (n: number | undefined): string =>
  n === undefined ? '–' : `${Math.round(n).toLocaleString('en-US')} ms`;
export const pct = (n: number | undefined): string =>
  n === undefined ? '–' : `${(n * 100).toFixed(1)}%`;
