/**
 * Pure statistics for the figures. Percentiles interpolate linearly between the nearest ranks (PostgreSQL's
 * `percentile_cont`, Excel's PERCENTILE.INC, Hyndman–Fan type 7), so the database and the recount agree exactly.
 */

/** The q-quantile (0 ≤ q ≤ 1) of values sorted ascending; null for none. */
export function percentileSorted(sorted: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile lies between 0 and 1: ${q}`);
  const n = sorted.length;
  if (n === 0) return null;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return sorted[lo]! + frac * (sorted[hi]! - sorted[lo]!);
}

/** The q-quantile of values in any order (nulls are skipped, as the database skips them). */
export function percentile(values: readonly (number | null)[], q: number): number | null {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return percentileSorted(sorted, q);
}

export const mean = (sum: number, n: number): number | null => (n > 0 ? sum / n : null);
export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export const HOUR_MS = 3_600_000;

/** Milliseconds as hours with two decimals. */
export const hours = (ms: number | null): number | null => (ms === null ? null : round(ms / HOUR_MS, 2));
/** A share with four decimals (0.6667). */
export const shareValue = (x: number | null): number | null => (x === null ? null : round(x, 4));

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f + (x >= 0 ? 1e-9 : -1e-9)) / f;
}
