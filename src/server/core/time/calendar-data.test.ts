import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCalendar,
  CalendarDataError,
  type CalendarYear,
  changedYears,
  mergeYears,
  parseCalendarYear,
  parseRegionalOverlay,
  SHIPPED_OVERLAYS,
  SHIPPED_YEARS,
  shippedCalendar,
} from './index.ts';

/** A deep copy of a shipped year as plain JSON, to mutate in a test. */
function yearJson(year: number): Record<string, unknown> {
  const y = SHIPPED_YEARS.find((x) => x.year === year)!;
  return JSON.parse(JSON.stringify(y)) as Record<string, unknown>;
}

function rejects(json: unknown, field: RegExp, reason: RegExp, where = 'ru-2026.json'): void {
  assert.throws(
    () => parseCalendarYear(json, where),
    (e: unknown) => {
      assert.ok(e instanceof CalendarDataError, `expected CalendarDataError, got ${String(e)}`);
      assert.match(e.field, field);
      assert.match(e.reason, reason);
      assert.equal(e.code, 'CALENDAR_DATA_INVALID');
      return true;
    },
  );
}

describe('shipped calendar data', () => {
  test('one file per year 2020–2027, each with sources; only 2027 is provisional', () => {
    assert.deepEqual(
      SHIPPED_YEARS.map((y) => y.year),
      [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027],
    );
    for (const y of SHIPPED_YEARS) {
      assert.ok(y.sources.length > 0, `${y.year} has sources`);
      assert.equal(y.provisional, y.year === 2027, `${y.year} provisional`);
    }
  });

  test('every unverified fact carries a note', () => {
    for (const y of SHIPPED_YEARS)
      for (const fact of [...y.holidays, ...y.transfers, ...y.workingWeekends, ...y.shortened, ...y.nonWorking])
        if (!fact.verified) assert.ok(fact.note, `${y.year}: ${JSON.stringify(fact)}`);
  });

  // Published figures (five-day week, 40-hour week), per the transfer decree.
  const totals: Array<[number, number, number]> = [
    [2020, 248, 1979],
    [2021, 247, 1972],
    [2022, 247, 1973],
    [2023, 247, 1973],
    [2024, 248, 1979],
    [2025, 247, 1973],
    [2026, 247, 1972],
  ];
  for (const [year, days, hours] of totals)
    test(`${year}: ${days} working days / ${hours} h`, () => {
      const info = shippedCalendar().yearInfo(year);
      assert.deepEqual(info.norm, { workingDays: days, workingHours: hours });
    });

  test('2020 and 2021: the extraordinary non-working days (Указы) come on top of the norm', () => {
    const c = shippedCalendar();
    assert.deepEqual(c.yearInfo(2020).actual, { workingDays: 219, workingHours: 1749 });
    assert.deepEqual(c.yearInfo(2021).actual, { workingDays: 240, workingHours: 1917 });
  });

  test('Татарстан overlay: 2026 has 244 working days / 1945 h and 2025 has 245 working days (Минтруд РТ)', () => {
    const ta = shippedCalendar('RU-TA');
    assert.deepEqual(ta.yearInfo(2026).norm, { workingDays: 244, workingHours: 1945 });
    assert.equal(ta.yearInfo(2025).norm.workingDays, 245);
    assert.equal(ta.isWorkingDay('2026-03-20'), false, 'Ураза-байрам');
    assert.equal(ta.isShortened('2026-03-19'), true);
    assert.equal(shippedCalendar().isWorkingDay('2026-03-20'), true, 'a working day federally');
    assert.equal(SHIPPED_OVERLAYS[0]!.region, 'RU-TA');
    assert.ok(
      SHIPPED_OVERLAYS[0]!.sources.some((s) => !s.verified && s.note),
      'the overlay marks what is unverified',
    );
  });
});

describe('parseCalendarYear rejects bad data, naming the field', () => {
  test('a date outside the year', () => {
    const j = yearJson(2026);
    (j.shortened as Array<{ date: string }>)[0]!.date = '2025-04-30';
    rejects(j, /^ru-2026\.json: shortened\[0\]\.date$/, /outside the year 2026/);
  });

  test('not a calendar date', () => {
    const j = yearJson(2026);
    (j.shortened as Array<{ date: string }>)[0]!.date = '2026-02-30';
    rejects(j, /shortened\[0\]\.date/, /not a calendar date/);
  });

  test('a day both shortened and off', () => {
    const j = yearJson(2026);
    (j.shortened as Array<{ date: string }>).push({ date: '2026-05-09' });
    rejects(j, /shortened\[4\]\.date/, /is a day off/);
  });

  test('a transfer whose target is already a day off', () => {
    const j = yearJson(2026);
    (j.transfers as Array<{ to: string }>)[0]!.to = '2026-01-10';
    rejects(j, /transfers\[0\]\.to/, /Saturday or Sunday, already a day off/);
  });

  test('a transfer onto a holiday', () => {
    const j = yearJson(2026);
    (j.transfers as Array<{ to: string }>)[0]!.to = '2026-01-08';
    rejects(j, /transfers\[0\]\.to/, /holiday, already a day off/);
  });

  test('ст. 112 ч. 2 moves to the next working day, nothing else', () => {
    const j = yearJson(2026);
    (j.transfers as Array<{ from: string; to: string }>)[3]!.to = '2026-05-12';
    rejects(j, /transfers\[3\]\.to/, /next working day, 2026-05-11/);
  });

  test('a holiday on a weekend that nobody moves', () => {
    const j = yearJson(2026);
    j.transfers = (j.transfers as Array<{ from: string }>).filter((t) => t.from !== '2026-03-08');
    rejects(j, /holidays\[9\]/, /2026-03-08 falls on a weekend and is not moved/);
  });

  test('a missing ст. 112 holiday', () => {
    const j = yearJson(2026);
    j.holidays = (j.holidays as Array<{ date: string }>).filter((h) => h.date !== '2026-06-12');
    rejects(j, /holidays$/, /2026-06-12 .*missing/);
  });

  test('a working Saturday without the transfer that explains it', () => {
    const j = yearJson(2026);
    (j.workingWeekends as unknown[]).push({ date: '2026-11-07', source: 'x' });
    rejects(j, /workingWeekends\[0\]\.date/, /no decree transfer moves its day off/);
  });

  test('totals that do not match the days', () => {
    const j = yearJson(2026);
    (j.totals as { workingDays: number }).workingDays = 248;
    rejects(j, /totals\.workingDays/, /gives 247 working days, the published figure is 248/);
  });

  test('an unknown field, a wrong type, an unverified fact without a note', () => {
    const a = yearJson(2026);
    a.holidayz = [];
    rejects(a, /holidayz/, /unknown field/);
    const b = yearJson(2026);
    b.provisional = 'no';
    rejects(b, /provisional/, /true or false/);
    const c = yearJson(2026);
    (c.shortened as Array<Record<string, unknown>>)[0]!.verified = false;
    rejects(c, /shortened\[0\]\.note/, /needs a note/);
  });

  test('a published correction in the same shape parses and builds', () => {
    const j = yearJson(2027);
    j.provisional = false;
    const y = parseCalendarYear(j, 'correction 2027');
    assert.equal(y.provisional, false);
    const c = buildCalendar(mergeYears([...SHIPPED_YEARS], [y]));
    assert.equal(c.yearInfo(2027).provisional, false);
  });
});

describe('buildCalendar, mergeYears, changedYears', () => {
  test('years must be contiguous and unique', () => {
    const ys = SHIPPED_YEARS.filter((y) => y.year !== 2023);
    assert.throws(
      () => buildCalendar([...ys]),
      (e: unknown) => e instanceof CalendarDataError && /2023 is missing/.test(e.message),
    );
    assert.throws(
      () => buildCalendar([SHIPPED_YEARS[0]!, SHIPPED_YEARS[0]!]),
      (e: unknown) => e instanceof CalendarDataError && /given twice/.test(e.message),
    );
  });

  test('an overlay without its federal year is refused', () => {
    const overlay = parseRegionalOverlay({
      region: 'RU-BA',
      name: 'Республика Башкортостан',
      sources: [{ title: 'test', verified: false, note: 'test' }],
      years: [{ year: 2019, holidays: [{ date: '2019-10-11', name: 'День Республики', source: 'test' }] }],
    });
    assert.throws(
      () => buildCalendar([...SHIPPED_YEARS], { region: 'RU-BA', overlays: overlay.years }),
      (e: unknown) => e instanceof CalendarDataError && /no federal calendar for 2019/.test(e.message),
    );
  });

  test('an overlay shortened day that is a day off is refused with the overlay named', () => {
    const overlay = parseRegionalOverlay({
      region: 'RU-BA',
      name: 'Республика Башкортостан',
      sources: [{ title: 'test', verified: false, note: 'test' }],
      years: [
        {
          year: 2026,
          holidays: [{ date: '2026-10-12', name: 'День Республики (test)', source: 'test' }],
          shortened: [{ date: '2026-10-11' }],
        },
      ],
    });
    assert.throws(
      () => buildCalendar([...SHIPPED_YEARS], { region: 'RU-BA', overlays: overlay.years }),
      (e: unknown) => e instanceof CalendarDataError && /\(RU-BA\): shortened\[0\]\.date/.test(e.field),
    );
  });

  test('changedYears lists exactly the years whose days differ', () => {
    const before = shippedCalendar();
    const j = yearJson(2027);
    // The decree moves 20.02 elsewhere: 20.02 and 22.02 change, nothing else.
    j.transfers = (j.transfers as Array<{ from: string }>).filter((t) => t.from !== '2027-02-20');
    j.workingWeekends = [];
    j.shortened = (j.shortened as Array<{ date: string }>).filter((s) => s.date !== '2027-02-20');
    const corrected = parseCalendarYear(j, 'correction');
    const after = buildCalendar(mergeYears([...SHIPPED_YEARS], [corrected]));
    assert.deepEqual(changedYears(before, after), [2027]);
    assert.deepEqual(changedYears(before, shippedCalendar()), []);
    const shorter = buildCalendar(SHIPPED_YEARS.filter((y) => y.year <= 2026) as CalendarYear[]);
    assert.deepEqual(changedYears(before, shorter), [2027]);
    assert.deepEqual(changedYears(before, shippedCalendar('RU-TA')), [2024, 2025, 2026]);
  });

  test('the digest of a year is stable and differs between regions', () => {
    assert.equal(shippedCalendar().yearInfo(2026).digest, buildCalendar([...SHIPPED_YEARS]).yearInfo(2026).digest);
    assert.notEqual(shippedCalendar().yearInfo(2026).digest, shippedCalendar('RU-TA').yearInfo(2026).digest);
  });
});
