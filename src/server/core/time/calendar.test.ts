import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CalendarRangeError, formatIsoDate, type LastDayPolicy, parseIsoDate, shippedCalendar } from './index.ts';

const c = shippedCalendar();

describe('days of the shipped calendar', () => {
  const cases: Array<[date: string, working: boolean, hours: number, why: string]> = [
    ['2026-01-09', false, 0, 'transfer from Sat 03.01 (ПП № 1466)'],
    ['2025-11-03', false, 0, 'transfer from Sat 01.11 (ПП № 1335)'],
    ['2024-04-27', true, 8, 'working Saturday (ПП № 1314)'],
    ['2025-11-01', true, 8, 'working Saturday (ПП № 1335), not shortened per КонсультантПлюс'],
    ['2024-11-02', true, 7, 'working Saturday, shortened'],
    ['2024-12-28', true, 8, 'working Saturday, full day'],
    ['2026-03-09', false, 0, 'ст. 112 ч. 2: 08.03 was a Sunday'],
    ['2026-05-11', false, 0, 'ст. 112 ч. 2: 09.05 was a Saturday'],
    ['2026-12-31', false, 0, 'transfer from Sun 04.01'],
    ['2025-12-30', true, 8, 'not shortened: 31.12 is off only by transfer'],
    ['2026-02-20', true, 8, 'not shortened: a weekend comes before 23.02'],
    ['2026-06-11', true, 7, 'shortened before 12.06'],
    ['2026-06-12', false, 0, 'День России'],
    ['2026-05-30', false, 0, 'Saturday'],
    ['2026-05-29', true, 8, 'Friday'],
    ['2020-04-15', false, 0, 'Указ № 239 (COVID-19)'],
    ['2020-04-30', false, 0, 'shortened under ПП № 875 but inside the Указ № 239 period'],
    ['2021-11-03', false, 0, 'Указ № 595'],
    ['2023-02-24', false, 0, 'transfer from Sun 01.01 (ПП № 1505)'],
    ['2022-03-05', true, 7, 'working Saturday, shortened (ПП № 1564)'],
    ['2027-02-20', true, 7, 'provisional: working Saturday, shortened'],
    ['2027-11-05', false, 0, 'provisional: transfer from Sat 02.01'],
  ];
  for (const [date, working, hours, why] of cases)
    test(`${date}: ${working ? 'working' : 'day off'}, ${hours} h — ${why}`, () => {
      assert.equal(c.isWorkingDay(date), working);
      assert.equal(c.dayHours(date), hours);
    });

  test('the shortened days of 2026 are exactly 30.04, 08.05, 11.06 and 03.11', () => {
    const shortened: string[] = [];
    for (let d = parseIsoDate('2026-01-01'); d <= parseIsoDate('2026-12-31'); d++)
      if (c.isShortened(d)) shortened.push(formatIsoDate(d));
    assert.deepEqual(shortened, ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
  });

  test('dayInfo explains a special day', () => {
    const info = c.dayInfo('2026-01-09');
    assert.equal(info.working, false);
    assert.equal(info.weekday, 5);
    assert.match(info.reasons.join('; '), /Перенесённый выходной с 03\.01\.2026 \(ПП РФ от 24\.09\.2025 № 1466\)/);
    assert.equal(c.dayInfo('2024-04-27').workingWeekend, true);
    assert.deepEqual(c.dayInfo('2026-04-15').reasons, []);
  });
});

describe('day arithmetic', () => {
  const calendarDays: Array<[start: string, n: number, policy: LastDayPolicy, due: string]> = [
    ['2026-04-30', 30, 'previous_working_day', '2026-05-29'],
    ['2026-04-30', 30, 'next_working_day', '2026-06-01'],
    ['2026-04-30', 30, 'none', '2026-05-30'],
    ['2025-03-01', 30, 'previous_working_day', '2025-03-31'],
    ['2026-12-10', 30, 'previous_working_day', '2026-12-30'],
    ['2026-12-10', 30, 'next_working_day', '2027-01-11'],
    // No working day between the start and the nominal last day: the next working day, never before the start.
    ['2026-12-31', 3, 'previous_working_day', '2027-01-11'],
    ['2026-12-30', 3, 'previous_working_day', '2026-12-30'],
    ['2026-04-30', 0, 'previous_working_day', '2026-04-30'],
  ];
  for (const [start, n, policy, due] of calendarDays)
    test(`${start} + ${n} calendar days, ${policy} → ${due}`, () => {
      assert.equal(formatIsoDate(c.addCalendarDays(start, n, policy)), due);
    });

  test('day 1 = the start date when counting from_start_day', () => {
    assert.equal(formatIsoDate(c.addCalendarDays('2025-03-01', 30, 'previous_working_day', 'from_start_day')), '2025-03-28');
    assert.equal(formatIsoDate(c.addCalendarDays('2025-03-01', 30, 'none', 'from_start_day')), '2025-03-30');
  });

  const workingDays: Array<[start: string, n: number, due: string]> = [
    ['2026-04-30', 10, '2026-05-18'],
    ['2026-04-30', 1, '2026-05-04'],
    ['2026-05-02', 1, '2026-05-04'],
    ['2026-12-30', 1, '2027-01-11'],
    ['2024-04-26', 1, '2024-04-27'],
  ];
  for (const [start, n, due] of workingDays)
    test(`${start} + ${n} working days → ${due}`, () => {
      const d = c.addWorkingDays(start, n);
      assert.equal(formatIsoDate(d), due);
      assert.equal(c.countWorkingDays(start, d), n);
    });

  test('next and previous working day', () => {
    assert.equal(formatIsoDate(c.nextWorkingDay('2026-01-01')), '2026-01-12');
    assert.equal(formatIsoDate(c.previousWorkingDay('2026-01-11')), '2025-12-30');
    assert.equal(formatIsoDate(c.nextWorkingDay('2026-04-29')), '2026-04-29');
  });
});

describe('dates outside the calendar raise CalendarRangeError with the year', () => {
  const cases: Array<[string, () => unknown, number]> = [
    ['a day in 2019', () => c.isWorkingDay('2019-12-31'), 2019],
    ['a day in 2030', () => c.dayHours('2030-01-15'), 2030],
    ['30 days past the end of 2027', () => c.addCalendarDays('2027-12-20', 30), 2028],
    ['working days past the end', () => c.addWorkingDays('2027-12-20', 15), 2028],
    ['the previous working day before 2020', () => c.previousWorkingDay('2020-01-05'), 2019],
    ['next working day of a policy past the end', () => c.addCalendarDays('2027-12-25', 6, 'next_working_day'), 2028],
    ['yearInfo of 2030', () => c.yearInfo(2030), 2030],
  ];
  for (const [name, run, year] of cases)
    test(name, () => {
      assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof CalendarRangeError, String(e));
        assert.equal(e.year, year);
        assert.equal(e.code, 'CALENDAR_RANGE');
        assert.equal(e.firstYear, 2020);
        assert.equal(e.lastYear, 2027);
        assert.match(e.message, new RegExp(`no data for ${year}`));
        return true;
      });
    });
});
