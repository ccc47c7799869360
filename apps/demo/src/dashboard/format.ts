export const usd = (n: number | undefined): string => {
  if (n === undefined) return '–';
  if (n === 0) return '$0';
  if (n < 0.001) return `$${n.toFixed(6)}`;
  if (n < 1) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
};

export const ms = (n: number | undefined): string =>
  n === undefined ? '–' : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;

export const pct = (n: number | undefined, digits = 1): string =>
  n === undefined ? '–' : `${(n * 100).toFixed(digits)}%`;

export const num = (n: number | undefined, digits = 0): string =>
  n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

export const perMillion = (n: number): string =>
  n === 0 ? 'free' : `$${n < 1 ? n.toFixed(2) : n.toFixed(2)}`;

export const time = (epochMs: number): string =>
  new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false });
