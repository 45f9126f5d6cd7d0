/**
 * Property tests (fast-check) over the shipped calendar: starts from 2020-01-01 to 2027-06-30 (so that every result
 * stays inside 2027), in several zones. Each property
 * runs with a fixed seed so a failure is reproducible; fast-check prints the shrunk counterexample.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addWorkingHours,
  calendarDaysDueMs,
  dayFromCivil,
  formatInstant,
  type LastDayPolicy,
  shippedCalendar,
  timeZone,
  workingDaysDueMs,
  workingTimeBetween,
  workSchedule,
} from './index.ts';
import { naiveCalendar, naiveCalendarDays, naiveWorkingDays } from './reference.ts';

const calendar = shippedCalendar();
const ZONES = ['Asia/Novokuznetsk', 'Europe/Moscow', 'Europe/Volgograd', 'Asia/Kamchatka', 'Europe/Kaliningrad'] as const;
const FROM = Date.parse('2020-01-01T12:00:00Z');
const TO = Date.parse('2027-06-30T00:00:00Z');
const params = { numRuns: 2000, seed: 20260430 };

const instant = fc.integer({ min: FROM, max: TO });
const zoneName = fc.constantFrom(...ZONES);
const policy = fc.constantFrom<LastDayPolicy>('previous_working_day', 'next_working_day', 'none');
const dayIndex = fc.integer({ min: 0, max: dayFromCivil(2027, 6, 30) - calendar.firstDay });

describe('properties of the day arithmetic', () => {
  test('adding n working days and counting the working days back gives n', () => {
    fc.assert(
      fc.property(dayIndex, fc.integer({ min: 0, max: 100 }), (i, n) => {
        const start = calendar.firstDay + i;
        assert.equal(calendar.countWorkingDays(start, calendar.addWorkingDays(start, n)), n);
      }),
      params,
    );
  });

  test('deadlines never move earlier when n grows (every policy, and working days)', () => {
    fc.assert(
      fc.property(
        instant,
        zoneName,
        policy,
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 30 }),
        (t, z, p, n, k) => {
          const zone = timeZone(z);
          assert.ok(calendarDaysDueMs(t, n, calendar, zone, p) <= calendarDaysDueMs(t, n + k, calendar, zone, p));
          assert.ok(workingDaysDueMs(t, n, calendar, zone) <= workingDaysDueMs(t, n + k, calendar, zone));
        },
      ),
      params,
    );
  });

  test('under the default policy the result is a working day, never before the start day', () => {
    fc.assert(
      fc.property(dayIndex, fc.integer({ min: 0, max: 90 }), (i, n) => {
        const start = calendar.firstDay + i;
        const due = calendar.addCalendarDays(start, n);
        assert.ok(calendar.isWorkingDay(due));
        assert.ok(due >= start);
        const noWorkingDayInPeriod = !calendar.isWorkingDay(start) && calendar.countWorkingDays(start, start + n) === 0;
        assert.ok(due <= start + n || noWorkingDayInPeriod, 'moved forward only when no working day was available');
      }),
      params,
    );
  });

  test('the fast path agrees with the naive day-by-day reference', () => {
    const naive = new Map(ZONES.map((z) => [z, naiveCalendar(calendar, z)]));
    fc.assert(
      fc.property(instant, zoneName, policy, fc.integer({ min: 0, max: 60 }), (t, z, p, n) => {
        const nc = naive.get(z)!;
        assert.equal(calendarDaysDueMs(t, n, calendar, timeZone(z), p), naiveCalendarDays(nc, new Date(t), n, p).getTime());
        assert.equal(
          calendarDaysDueMs(t, n, calendar, timeZone(z), p, 'from_start_day'),
          naiveCalendarDays(nc, new Date(t), n, p, 'from_start_day').getTime(),
        );
        assert.equal(workingDaysDueMs(t, n, calendar, timeZone(z)), naiveWorkingDays(nc, new Date(t), n).getTime());
      }),
      { ...params, numRuns: 1000 },
    );
  });
});

describe('properties of working time', () => {
  test('elapsed working time is additive: a→b + b→c = a→c', () => {
    fc.assert(
      fc.property(instant, instant, instant, zoneName, (a, b, c, z) => {
        const ctx = { calendar, zone: z };
        const [da, db, dc] = [new Date(a), new Date(b), new Date(c)];
        assert.equal(workingTimeBetween(da, db, ctx) + workingTimeBetween(db, dc, ctx), workingTimeBetween(da, dc, ctx));
      }),
      params,
    );
  });

  test('elapsed working time is ≥ 0 forward and at most the clock time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 * 86_400_000 }), zoneName, (a, d, z) => {
        const w = workingTimeBetween(new Date(a), new Date(a + d), { calendar, zone: z });
        assert.ok(w >= 0 && w <= d);
      }),
      params,
    );
  });

  test('adding h working hours then measuring gives h back; the result is monotone in h', () => {
    const schedule = workSchedule(calendar);
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 200 * 60 }),
        fc.integer({ min: 0, max: 600 }),
        zoneName,
        (t, minutes, more, z) => {
          const ctx = { calendar, zone: z };
          const end = addWorkingHours(new Date(t), minutes / 60, ctx);
          assert.equal(workingTimeBetween(new Date(t), end, ctx), minutes * 60_000);
          assert.ok(end.getTime() >= t);
          assert.ok(schedule.add(t, (minutes + more) * 60_000, timeZone(z)) >= end.getTime());
        },
      ),
      params,
    );
  });
});

describe('properties of zones', () => {
  test('formatInstant reads back to the same second', () => {
    fc.assert(
      fc.property(instant, zoneName, (t, z) => {
        assert.equal(Date.parse(formatInstant(t, z)), Math.floor(t / 1000) * 1000);
      }),
      params,
    );
  });

  test('local day and time → instant → local day and time is the identity', () => {
    fc.assert(
      fc.property(instant, zoneName, (t, z) => {
        const zone = timeZone(z);
        const { day, msOfDay } = zone.localDayAndTime(t);
        assert.equal(zone.instantOf(day, msOfDay), t);
      }),
      params,
    );
  });
});
