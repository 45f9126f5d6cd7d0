import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FixedClock } from '../clock.ts';
import {
  addCalendarDaysDeadline,
  addWorkingDaysDeadline,
  addWorkingHours,
  CalendarRangeError,
  DeadlineSettingError,
  deadlineState,
  formatInstant,
  isOverdue,
  isWorkingDayAt,
  type LastDayPolicy,
  localDate,
  type OfficeHours,
  shippedCalendar,
  workingTimeBetween,
  workSchedule,
} from './index.ts';

const calendar = shippedCalendar();
const KEMEROVO = 'Asia/Novokuznetsk';
const ctx = { calendar, zone: KEMEROVO };
const MIN = 60_000;

describe('calendar-day deadlines in the municipality’s zone', () => {
  const cases: Array<[registered: string, policy: LastDayPolicy, dueAtText: string]> = [
    // Day 30 is Saturday 30.05.2026.
    ['2026-04-30T10:00:00+07:00', 'previous_working_day', '2026-05-29T23:59:59+07:00'],
    ['2026-04-30T10:00:00+07:00', 'next_working_day', '2026-06-01T23:59:59+07:00'],
    ['2026-04-30T10:00:00+07:00', 'none', '2026-05-30T23:59:59+07:00'],
    // Registered 01.03 → due 31.03 (day 0 = the registration date).
    ['2025-03-01T12:00:00+07:00', 'previous_working_day', '2025-03-31T23:59:59+07:00'],
  ];
  for (const [registered, policy, dueAtText] of cases)
    test(`registered ${registered}, 30 days, ${policy} → ${dueAtText}`, () => {
      const due = addCalendarDaysDeadline(new Date(registered), 30, { ...ctx, policy });
      assert.equal(due.dueAtText, dueAtText);
      assert.equal(due.dueAt.getTime(), Date.parse(dueAtText));
      assert.equal(due.date, dueAtText.slice(0, 10));
      assert.equal(due.provisional, false);
    });

  test('an appeal received at 23:30 Moscow time counts from the next day in Kemerovo', () => {
    const received = new Date('2026-03-01T23:30:00+03:00');
    assert.equal(localDate(received, KEMEROVO), '2026-03-02');
    assert.equal(addCalendarDaysDeadline(received, 30, ctx).dueAtText, '2026-04-01T23:59:59+07:00');
    assert.equal(
      addCalendarDaysDeadline(received, 30, { calendar, zone: 'Europe/Moscow' }).dueAtText,
      '2026-03-31T23:59:59+03:00',
    );
  });

  test('the same instant just before local midnight stays on its day', () => {
    const received = new Date('2026-03-01T23:59:59+07:00');
    assert.equal(addCalendarDaysDeadline(received, 30, ctx).date, '2026-03-31');
  });

  test('a deadline reaching into 2027 is marked provisional', () => {
    const due = addCalendarDaysDeadline(new Date('2026-12-15T10:00:00+07:00'), 30, ctx);
    assert.equal(due.date, '2027-01-14');
    assert.equal(due.provisional, true);
  });

  test('working-day deadlines: 10 working days from 30.04.2026 across the May holidays', () => {
    const due = addWorkingDaysDeadline(new Date('2026-04-30T10:00:00+07:00'), 10, ctx);
    assert.equal(due.dueAtText, '2026-05-18T23:59:59+07:00');
  });

  test('outside the calendar: CalendarRangeError, not a guess', () => {
    assert.throws(() => addCalendarDaysDeadline(new Date('2019-12-20T10:00:00+07:00'), 30, ctx), CalendarRangeError);
    assert.throws(() => addCalendarDaysDeadline(new Date('2027-12-20T10:00:00+07:00'), 30, ctx), CalendarRangeError);
    assert.throws(() => isWorkingDayAt(new Date('2030-01-10T10:00:00Z'), calendar, KEMEROVO), CalendarRangeError);
  });

  test('isOverdue: the whole due day to its last second is on time', () => {
    const due = addCalendarDaysDeadline(new Date('2026-04-30T10:00:00+07:00'), 30, ctx).dueAt;
    assert.equal(isOverdue(due, new Date('2026-05-29T23:59:59.999+07:00')), false);
    assert.equal(isOverdue(due, new Date('2026-05-30T00:00:00+07:00')), true);
    // An hour-based due instant with milliseconds: late once its second has passed.
    const reaction = new Date('2026-05-09T15:00:00.500+07:00');
    assert.equal(isOverdue(reaction, new Date('2026-05-09T15:00:00.900+07:00')), false);
    assert.equal(isOverdue(reaction, new Date('2026-05-09T15:00:01+07:00')), true);
  });

  test('deadlineState reads "now" from the injected clock', () => {
    const due = new Date('2026-05-29T23:59:59+07:00');
    const clock = new FixedClock('2026-05-29T09:00:00+07:00');
    assert.deepEqual(deadlineState(due, clock, KEMEROVO), { overdue: false, dueToday: true, remainingMs: 15 * 3_600_000 });
    clock.set('2026-05-30T00:00:01+07:00');
    const late = deadlineState(due, clock, KEMEROVO);
    assert.equal(late.overdue, true);
    assert.equal(late.dueToday, false);
  });
});

describe('working hours within office hours (default: Mon–Thu 09:00–18:00, Fri 09:00–16:45, lunch 13:00–13:48)', () => {
  const cases: Array<[start: string, hours: number, end: string, why: string]> = [
    ['2026-05-18T12:30:00+07:00', 1, '2026-05-18T14:18:00+07:00', 'across lunch'],
    ['2026-05-15T16:00:00+07:00', 2, '2026-05-18T10:15:00+07:00', 'across a weekend: Friday closes at 16:45'],
    ['2026-05-08T15:00:00+07:00', 3, '2026-05-12T11:15:00+07:00', 'shortened Friday 08.05 closes at 15:45, then 09–11.05 off'],
    ['2026-05-16T10:00:00+07:00', 1, '2026-05-18T10:00:00+07:00', 'starting on a Saturday'],
    ['2026-05-18T07:00:00+07:00', 1, '2026-05-18T10:00:00+07:00', 'starting before opening'],
    ['2026-05-18T17:00:00+07:00', 1, '2026-05-18T18:00:00+07:00', 'ending exactly at closing time'],
    ['2025-10-31T16:00:00+07:00', 1, '2025-11-01T09:15:00+07:00', 'working Saturday 01.11.2025 keeps Monday’s hours'],
    ['2026-05-18T10:00:00+07:00', 0, '2026-05-18T10:00:00+07:00', 'zero hours'],
  ];
  for (const [start, hours, end, why] of cases)
    test(`${start} + ${hours} h → ${end} (${why})`, () => {
      const result = addWorkingHours(new Date(start), hours, ctx);
      assert.equal(formatInstant(result, KEMEROVO), end);
      assert.equal(workingTimeBetween(new Date(start), result, ctx), hours * 60 * MIN);
    });

  test('working time elapsed across a holiday: Thu 11.06.2026 16:00 → Mon 15.06 10:00 is 2 h', () => {
    // 11.06 is shortened (closes 17:00), 12.06 День России, 13–14.06 weekend.
    const ms = workingTimeBetween(new Date('2026-06-11T16:00:00+07:00'), new Date('2026-06-15T10:00:00+07:00'), ctx);
    assert.equal(ms, 120 * MIN);
  });

  test('elapsed time is negative when the order is reversed', () => {
    const a = new Date('2026-06-11T16:00:00+07:00');
    const b = new Date('2026-06-15T10:00:00+07:00');
    assert.equal(workingTimeBetween(b, a, ctx), -120 * MIN);
  });

  test('office hours are a parameter', () => {
    const officeHours: OfficeHours = { week: { 1: [['08:00', '17:00']], 2: [['08:00', '17:00']] }, shortenedByMinutes: 60 };
    const result = addWorkingHours(new Date('2026-05-18T16:00:00+07:00'), 2, { ...ctx, officeHours });
    assert.equal(formatInstant(result, KEMEROVO), '2026-05-19T09:00:00+07:00');
    // Wednesday is closed in this schedule: Tuesday 16:00 + 2 h → next Monday 09:00.
    assert.equal(
      formatInstant(addWorkingHours(new Date('2026-05-19T16:00:00+07:00'), 2, { ...ctx, officeHours }), KEMEROVO),
      '2026-05-25T09:00:00+07:00',
    );
  });

  test('schedules are shared between equal office hours (e.g. read afresh per request)', () => {
    const a: OfficeHours = { week: { 1: [['08:00', '17:00']] } };
    const b: OfficeHours = { week: { 1: [['08:00', '17:00']] } };
    assert.equal(workSchedule(calendar, a), workSchedule(calendar, b));
    assert.notEqual(workSchedule(calendar, a), workSchedule(calendar));
  });

  test('bad office hours name the setting', () => {
    assert.throws(
      () =>
        addWorkingHours(new Date('2026-05-18T16:00:00+07:00'), 1, { ...ctx, officeHours: { week: { 1: [['18:00', '09:00']] } } }),
      (e: unknown) => e instanceof DeadlineSettingError && e.field === 'officeHours.week.1[0]',
    );
    assert.throws(
      () =>
        addWorkingHours(new Date('2026-05-18T16:00:00+07:00'), 1, { ...ctx, officeHours: { week: { 1: [['9:00', '18:00']] } } }),
      (e: unknown) => e instanceof DeadlineSettingError && /HH:MM/.test(e.reason),
    );
  });
});
