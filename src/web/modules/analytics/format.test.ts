import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FigureKey, FigureUnit } from './analytics.api.ts';
import { changeOf, formatValue } from './format.ts';
import { classColor, classOf, HEAT_COLORS, heatClasses } from './heat-scale.ts';

const NBSP = '\u00a0';
const plain = (s: string | undefined) => s?.replaceAll(NBSP, ' ').replaceAll('\u202f', ' ');

describe('figure formatting', () => {
  const values: Array<[number | null, FigureUnit, string]> = [
    [12, 'count', '12'],
    [12345, 'count', '12 345'],
    [0.8333, 'share', '83,3 %'],
    [1, 'share', '100,0 %'],
    [0, 'share', '0,0 %'],
    [4.45, 'hours', '4,5 ч'],
    [30, 'working_hours', '30,0 ч'],
    [null, 'share', '—'],
  ];
  for (const [value, unit, text] of values) {
    test(`${value} ${unit} → ${text}`, () => assert.equal(plain(formatValue(value, unit)), text));
  }
});

describe('a change is coloured by what the figure means', () => {
  // [figure, unit, now, before, direction, tone, text]
  const rows: Array<[FigureKey, FigureUnit, number | null, number | null, string | null, string | null, string | null]> = [
    ['answered', 'count', 12, 8, 'up', 'good', '+4 (+50 %)'],
    ['answered', 'count', 6, 8, 'down', 'bad', '−2 (−25 %)'],
    ['received', 'count', 12, 8, 'up', 'neutral', '+4 (+50 %)'],
    ['received', 'count', 3, 0, 'up', 'neutral', '+3'],
    ['onTimeShare', 'share', 0.9, 0.855, 'up', 'good', '+4,5 п. п.'],
    ['onTimeShare', 'share', 0.8, 0.8, 'same', 'neutral', 'без изменений'],
    // A difference below the shown precision is no change.
    ['onTimeShare', 'share', 0.80001, 0.8, 'same', 'neutral', 'без изменений'],
    ['reopenRate', 'share', 0.1, 0.05, 'up', 'bad', '+5,0 п. п.'],
    ['resolutionWorkHoursMean', 'working_hours', 20, 30.25, 'down', 'good', '−10,3 ч'],
    ['reactionHoursMedian', 'hours', 5, 2, 'up', 'bad', '+3,0 ч'],
    ['satisfaction', 'share', 0.5, 0.75, 'down', 'bad', '−25,0 п. п.'],
    ['onTimeShare', 'share', null, 0.5, null, null, null],
    ['onTimeShare', 'share', 0.5, null, null, null, null],
    // Overdue now does not depend on the period: nothing to compare.
    ['overdueNow', 'count', 5, 3, null, null, null],
  ];
  for (const [key, unit, now, before, direction, tone, text] of rows) {
    test(`${key}: ${before} → ${now}`, () => {
      const c = changeOf(key, unit, now, before);
      assert.equal(c?.direction ?? null, direction);
      assert.equal(c?.tone ?? null, tone);
      assert.equal(plain(c?.text) ?? null, text);
    });
  }
});

describe('heat map classes', () => {
  test('five classes of equal steps, fewer for small counts', () => {
    assert.deepEqual(heatClasses(0), []);
    assert.deepEqual(heatClasses(1), [1]);
    assert.deepEqual(heatClasses(3), [1, 2, 3]);
    assert.deepEqual(heatClasses(10), [2, 4, 6, 8, 10]);
    assert.deepEqual(heatClasses(12), [3, 5, 8, 10, 12]);
  });
  test('every count falls in a class; the top class is the darkest colour', () => {
    const bounds = heatClasses(12);
    assert.deepEqual(
      [1, 3, 4, 5, 6, 12].map((n) => classOf(n, bounds)),
      [0, 0, 1, 1, 2, 4],
    );
    assert.equal(classColor(0, 1).fill, HEAT_COLORS[4]);
    assert.equal(classColor(2, 3).fill, HEAT_COLORS[4]);
    assert.equal(classColor(0, 3).fill, HEAT_COLORS[0]);
    assert.equal(classColor(1, 3).fill, HEAT_COLORS[2]);
  });
});
