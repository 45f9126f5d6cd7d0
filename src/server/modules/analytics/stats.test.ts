import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hours, mean, percentile, percentileSorted, round, share, shareValue } from './stats.ts';

// Percentiles interpolate between the nearest ranks (PostgreSQL percentile_cont, type 7): rank = q·(n − 1).
describe('analytics stats: percentiles', () => {
  const cases: Array<[string, number[], number, number | null]> = [
    ['nothing', [], 0.5, null],
    ['one value is every percentile', [7], 0.9, 7],
    ['median of two: their mean', [1, 4], 0.5, 2.5],
    ['median of an odd count: the middle', [1, 2, 3, 24, 64.25], 0.5, 3],
    ['p90 of five: rank 3.6', [1.5, 2, 3, 24, 64.25], 0.9, 48.15],
    ['p90 of four: rank 2.7', [8.2, 24.6, 79.5, 79.5], 0.9, 79.5],
    ['median of four', [8.2, 24.6, 79.5, 79.5], 0.5, 52.05],
    ['q = 0: the least', [3, 5, 9], 0, 3],
    ['q = 1: the greatest', [3, 5, 9], 1, 9],
    ['ties', [2, 2, 2, 2], 0.9, 2],
  ];
  for (const [name, values, q, expected] of cases) {
    test(name, () => {
      const got = percentileSorted(values, q);
      if (expected === null) assert.equal(got, null);
      else assert.ok(Math.abs((got as number) - expected) < 1e-9, `${got} ≠ ${expected}`);
    });
  }

  test('unsorted input and nulls (skipped, as the database skips them)', () => {
    assert.equal(percentile([64.25, null, 3, 1.5, null, 24, 2], 0.5), 3);
    assert.equal(percentile([null, null], 0.5), null);
  });

  test('a quantile outside 0…1 is refused', () => {
    assert.throws(() => percentileSorted([1, 2], 1.5), RangeError);
    assert.throws(() => percentileSorted([1, 2], Number.NaN), RangeError);
  });
});

describe('analytics stats: means, shares, rounding', () => {
  const cases: Array<[string, () => number | null, number | null]> = [
    ['mean of nothing', () => mean(0, 0), null],
    ['mean', () => mean(94.75, 5), 18.95],
    ['share of nothing', () => share(0, 0), null],
    ['share 5 of 6, four decimals', () => shareValue(share(5, 6)), 0.8333],
    ['share 2 of 3 rounds up', () => shareValue(share(2, 3)), 0.6667],
    ['hours of 1 h 30 min', () => hours(5_400_000), 1.5],
    ['hours, two decimals', () => hours(1_235_699_000), 343.25],
    ['hours of null', () => hours(null), null],
    ['half rounds up', () => round(0.125, 2), 0.13],
    ['negative', () => round(-1.234, 1), -1.2],
  ];
  for (const [name, run, expected] of cases) test(name, () => assert.equal(run(), expected));
});
