import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMonth, formatPeriod, parseDate, previousPeriod, rangeOf } from './period.ts';

describe('analytics periods', () => {
  // [preset, today, period, compared with]
  const cases: Array<[Parameters<typeof rangeOf>[0], string, [string, string], [string, string]]> = [
    ['month', '2026-11-25', ['2026-11-01', '2026-11-25'], ['2026-10-01', '2026-10-25']],
    // The same stretch of a shorter month ends on its last day.
    ['month', '2026-03-31', ['2026-03-01', '2026-03-31'], ['2026-02-01', '2026-02-28']],
    ['month', '2028-03-30', ['2028-03-01', '2028-03-30'], ['2028-02-01', '2028-02-29']],
    ['month', '2026-01-15', ['2026-01-01', '2026-01-15'], ['2025-12-01', '2025-12-15']],
    ['last-month', '2026-11-25', ['2026-10-01', '2026-10-31'], ['2026-09-01', '2026-09-30']],
    ['last-month', '2026-01-05', ['2025-12-01', '2025-12-31'], ['2025-11-01', '2025-11-30']],
    ['last-month', '2026-03-01', ['2026-02-01', '2026-02-28'], ['2026-01-01', '2026-01-31']],
    ['quarter', '2026-11-25', ['2026-10-01', '2026-11-25'], ['2026-07-01', '2026-08-25']],
    ['quarter', '2026-10-01', ['2026-10-01', '2026-10-01'], ['2026-07-01', '2026-07-01']],
    ['quarter', '2026-05-31', ['2026-04-01', '2026-05-31'], ['2026-01-01', '2026-02-28']],
    ['quarter', '2026-02-10', ['2026-01-01', '2026-02-10'], ['2025-10-01', '2025-11-10']],
    ['year', '2026-11-25', ['2026-01-01', '2026-11-25'], ['2025-01-01', '2025-11-25']],
    ['year', '2028-02-29', ['2028-01-01', '2028-02-29'], ['2027-01-01', '2027-02-28']],
  ];
  for (const [preset, today, period, compare] of cases) {
    test(`${preset} on ${today}`, () => {
      const r = rangeOf(preset, today);
      assert.deepEqual(r, { period: { from: period[0], to: period[1] }, compare: { from: compare[0], to: compare[1] } });
    });
  }

  test('a custom period is compared with the period as long just before; bad dates give no range', () => {
    assert.deepEqual(rangeOf('custom', '2026-11-25', { from: '2026-03-01', to: '2026-03-10' }), {
      period: { from: '2026-03-01', to: '2026-03-10' },
      compare: { from: '2026-02-19', to: '2026-02-28' },
    });
    assert.equal(rangeOf('custom', '2026-11-25', { from: '2026-03-10', to: '2026-03-01' }), null);
    assert.equal(rangeOf('custom', '2026-11-25', { from: '2026-02-30', to: '2026-03-01' }), null);
    assert.equal(rangeOf('custom', '2026-11-25', {}), null);
    assert.equal(rangeOf('month', 'not a date'), null);
  });

  test('the previous period of the same length crosses months and years', () => {
    assert.deepEqual(previousPeriod({ from: '2026-01-01', to: '2026-01-31' }), { from: '2025-12-01', to: '2025-12-31' });
    assert.deepEqual(previousPeriod({ from: '2026-03-01', to: '2026-03-01' }), { from: '2026-02-28', to: '2026-02-28' });
  });

  test('dates are parsed strictly', () => {
    assert.deepEqual(parseDate('2026-02-28'), { y: 2026, m: 2, d: 28 });
    assert.equal(parseDate('2026-02-29'), null);
    assert.equal(parseDate('2026-2-28'), null);
  });

  test('periods and months are written in Russian', () => {
    assert.equal(formatPeriod({ from: '2026-11-01', to: '2026-11-25' }), '1–25 ноября 2026');
    assert.equal(formatPeriod({ from: '2026-05-03', to: '2026-05-03' }), '3 мая 2026');
    assert.equal(formatPeriod({ from: '2026-10-01', to: '2026-11-25' }), '1 октября – 25 ноября 2026');
    assert.equal(formatPeriod({ from: '2025-12-15', to: '2026-01-10' }), '15 декабря 2025 – 10 января 2026');
    assert.equal(formatMonth('2026-11'), 'ноя 2026');
    assert.equal(formatMonth('2026-01', true), 'январь 2026');
  });
});
