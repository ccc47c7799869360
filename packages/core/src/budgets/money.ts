/**
 * Money is kept as integer micro-dollars so that sums of many small costs
 * are exact: 0.1 + 0.2 in floating point is not 0.3, but 100,000 + 200,000
 * micro-dollars is 300,000. Conversions go through nano-dollars first so
 * that a float like 0.1 (really 0.1000000000000000055…) does not round up to
 * an extra micro-dollar.
 */
export const MICROS_PER_USD = 1_000_000;

/** USD to micro-dollars, rounded up: reservations and charges err on the side of the budget. */
export function usdToMicros(usd: number): number {
  if (!Number.isFinite(usd)) {
    throw new RangeError(`amount must be a finite number of USD, got ${String(usd)}`);
  }
  const nanos = Math.round(usd * 1e9);
  return Math.ceil(nanos / 1_000);
}

/** Micro-dollars to USD for display and APIs. */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}

/** A limit in micro-dollars; `Infinity` stays infinite ("no limit"). */
export function limitToMicros(limitUsd: number): number {
  if (limitUsd === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.floor(Math.round(limitUsd * 1e9) / 1_000);
}
