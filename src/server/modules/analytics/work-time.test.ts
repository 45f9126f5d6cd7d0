import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shippedCalendar } from '../../core/time/index.ts';
import { workTimeOf } from './work-time.ts';

// Working hours between two instants in Кемерово (+07) on the federal calendar with core/time's default office hours:
// Mon–Thu 09:00–13:00 and 13:48–18:00 (8 h 12 min), Fri until 16:45 (6 h 57 min), a shortened day an hour shorter.
const work = workTimeOf(shippedCalendar(), {}, 'Asia/Novokuznetsk');
const h = (from: string, to: string, regime: 'appeal' | 'message' | 'incident' = 'appeal') => {
  const ms = work(Date.parse(`${from}+07:00`), Date.parse(`${to}+07:00`), regime);
  return ms === null ? null : ms / 3_600_000;
};

describe('analytics: working hours between two instants', () => {
  const cases: Array<[string, string, string, number | null]> = [
    ['the same instant', '2026-04-06T10:00:00', '2026-04-06T10:00:00', 0],
    ['within the morning', '2026-04-06T10:00:00', '2026-04-06T11:30:00', 1.5],
    ['across lunch (13:00–13:48 does not count)', '2026-04-06T12:00:00', '2026-04-06T14:00:00', 1.2],
    ['Friday closing time to Monday opening time', '2026-04-10T16:45:00', '2026-04-13T09:00:00', 0],
    ['Friday 16:00 to Monday 10:00', '2026-04-10T16:00:00', '2026-04-13T10:00:00', 1.75],
    ['a day, Wednesday 10:00 to Thursday 10:00', '2026-04-08T10:00:00', '2026-04-09T10:00:00', 8.2],
    ['a whole week (4 × 8.2 + 6.95)', '2026-04-13T00:00:00', '2026-04-20T00:00:00', 39.75],
    ['at night nothing counts', '2026-04-13T19:00:00', '2026-04-14T08:00:00', 0],
    ['a weekend only', '2026-04-11T00:00:00', '2026-04-13T00:00:00', 0],
    // 30.04.2026 is shortened (before 1 May), 1–3 May are off, 4 May works.
    ['a shortened pre-holiday day and the May holidays', '2026-04-30T09:00:00', '2026-05-04T09:00:00', 7.2],
    // 9 March 2026 is the day off for Sunday 8 March (ТК РФ ст. 112 ч. 2).
    ['a transferred day off', '2026-03-06T16:45:00', '2026-03-10T09:00:00', 0],
    ['backwards is negative', '2026-04-06T11:30:00', '2026-04-06T10:00:00', -1.5],
    ['outside the calendar’s years: not a guess', '2019-04-01T10:00:00', '2019-04-02T10:00:00', null],
  ];
  for (const [name, from, to, expected] of cases) {
    test(name, () => {
      const got = h(from, to);
      if (expected === null) assert.equal(got, null);
      else assert.ok(Math.abs((got as number) - expected) < 1e-9, `${got} ≠ ${expected}`);
    });
  }

  test('office hours of the regime from the municipality’s settings; other regimes keep the defaults', () => {
    const own = workTimeOf(
      shippedCalendar(),
      { appeal: { officeHours: { week: { 1: [['08:00', '17:00']] } } } },
      'Asia/Novokuznetsk',
    );
    const monday = [Date.parse('2026-04-06T00:00:00+07:00'), Date.parse('2026-04-07T00:00:00+07:00')] as const;
    assert.equal(own(monday[0], monday[1], 'appeal'), 9 * 3_600_000);
    assert.equal(own(monday[0], monday[1], 'message'), (8 * 60 + 12) * 60_000);
  });
});
