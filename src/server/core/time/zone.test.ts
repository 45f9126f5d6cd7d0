import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatInstant, formatIsoDate, formatRuDate, formatRuDateTime, parseIsoDate, TimeZoneError, timeZone } from './index.ts';

const HOUR = 3_600_000;

describe('time zones', () => {
  const offsets: Array<[zone: string, at: string, hours: number]> = [
    ['Asia/Novokuznetsk', '2026-01-15T12:00:00Z', 7],
    ['Asia/Novokuznetsk', '2026-07-15T12:00:00Z', 7],
    ['Europe/Moscow', '2026-07-15T12:00:00Z', 3],
    ['Asia/Kamchatka', '2026-07-15T12:00:00Z', 12],
    // Volgograd moved from UTC+4 to UTC+3 on 27.12.2020 at 02:00 local: a zone with a change inside 2020–2027.
    ['Europe/Volgograd', '2020-12-26T12:00:00Z', 4],
    ['Europe/Volgograd', '2020-12-27T12:00:00Z', 3],
    ['America/New_York', '2026-01-15T12:00:00Z', -5],
    ['America/New_York', '2026-07-15T12:00:00Z', -4],
  ];
  for (const [zone, at, hours] of offsets)
    test(`${zone} at ${at} is UTC${hours >= 0 ? '+' : ''}${hours}`, () => {
      assert.equal(timeZone(zone).offsetAt(Date.parse(at)), hours * HOUR);
    });

  test('the Volgograd change is found to the second', () => {
    const z = timeZone('Europe/Volgograd');
    const change = Date.parse('2020-12-26T22:00:00Z'); // 02:00 local (+4) → 01:00 (+3)
    assert.equal(z.offsetAt(change - 1000), 4 * HOUR);
    assert.equal(z.offsetAt(change), 3 * HOUR);
  });

  test('an appeal received at 23:30 Moscow time is already the next day in Kemerovo', () => {
    const at = Date.parse('2026-03-01T23:30:00+03:00');
    assert.equal(formatIsoDate(timeZone('Europe/Moscow').localDay(at)), '2026-03-01');
    assert.equal(formatIsoDate(timeZone('Asia/Novokuznetsk').localDay(at)), '2026-03-02');
  });

  test('endOfDay is 23:59:59 local and formats with the offset', () => {
    const z = timeZone('Asia/Novokuznetsk');
    const end = z.endOfDay(parseIsoDate('2026-05-29'));
    assert.equal(new Date(end).toISOString(), '2026-05-29T16:59:59.000Z');
    assert.equal(formatInstant(end, z), '2026-05-29T23:59:59+07:00');
    assert.equal(formatInstant(new Date(end), 'Europe/Moscow'), '2026-05-29T19:59:59+03:00');
  });

  test('Russian date and date-time for letters: the local date in the zone, with the offset', () => {
    const cases: Array<[string, string, string, string]> = [
      ['2026-05-29T16:59:59Z', 'Asia/Novokuznetsk', '29.05.2026', '29.05.2026 23:59 (UTC+07:00)'],
      ['2026-03-01T20:30:00Z', 'Asia/Novokuznetsk', '02.03.2026', '02.03.2026 03:30 (UTC+07:00)'],
      ['2026-03-01T20:30:00Z', 'Europe/Moscow', '01.03.2026', '01.03.2026 23:30 (UTC+03:00)'],
      ['2026-01-15T12:00:00Z', 'America/New_York', '15.01.2026', '15.01.2026 07:00 (UTC-05:00)'],
    ];
    for (const [at, zone, date, dateTime] of cases) {
      assert.equal(formatRuDate(Date.parse(at), zone), date, `${at} ${zone}`);
      assert.equal(formatRuDateTime(new Date(at), zone), dateTime, `${at} ${zone}`);
    }
  });

  test('formatInstant writes negative and fractional offsets and drops milliseconds', () => {
    assert.equal(formatInstant(Date.parse('2026-01-15T12:00:00.789Z'), 'America/New_York'), '2026-01-15T07:00:00-05:00');
    assert.equal(formatInstant(Date.parse('2026-01-15T12:00:00Z'), 'Asia/Kolkata'), '2026-01-15T17:30:00+05:30');
    assert.equal(formatInstant(Date.parse('2026-01-15T12:00:00Z'), 'UTC'), '2026-01-15T12:00:00+00:00');
  });

  test('local wall time → instant across a DST gap and overlap', () => {
    const ny = timeZone('America/New_York');
    // 08.03.2026 02:30 does not exist (02:00 → 03:00): read with the earlier offset, it lands at 03:30 EDT.
    assert.equal(new Date(ny.instantOf(parseIsoDate('2026-03-08'), 2.5 * HOUR)).toISOString(), '2026-03-08T07:30:00.000Z');
    // 01.11.2026 01:30 happens twice: the earlier one (EDT).
    assert.equal(new Date(ny.instantOf(parseIsoDate('2026-11-01'), 1.5 * HOUR)).toISOString(), '2026-11-01T05:30:00.000Z');
    // A plain day: midnight.
    assert.equal(new Date(ny.startOfDay(parseIsoDate('2026-07-01'))).toISOString(), '2026-07-01T04:00:00.000Z');
  });

  test('an unknown zone is a TimeZoneError', () => {
    assert.throws(
      () => timeZone('Asia/Kemerovo-Nowhere'),
      (e: unknown) => e instanceof TimeZoneError && e.code === 'TIME_ZONE_UNKNOWN',
    );
  });

  test('one TimeZone per name (cached)', () => {
    assert.equal(timeZone('Asia/Novokuznetsk'), timeZone('Asia/Novokuznetsk'));
  });
});
