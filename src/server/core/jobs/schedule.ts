/**
 * Recurring-job timing, pure. A schedule is either every N seconds (aligned to its first run, so a period
 * missed while no node was up fires once, not once per missed period) or daily at HH:MM wall-clock time in
 * an IANA time zone (Kuzbass is Asia/Novokuznetsk).
 */
export type ScheduleSpec = { everySeconds: number } | { dailyAt: string; timeZone: string };

import { dayFromCivil, timeZone } from '../time/index.ts';

const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

/** Throws a plain message when a spec cannot work; called when a schedule is defined, not when it fires. */
export function validateSchedule(spec: ScheduleSpec): void {
  if ('everySeconds' in spec) {
    if (!Number.isInteger(spec.everySeconds) || spec.everySeconds < 1) {
      throw new Error(`everySeconds must be a positive integer, got ${spec.everySeconds}`);
    }
    return;
  }
  if (!HH_MM.test(spec.dailyAt)) throw new Error(`dailyAt must be HH:MM (00:00–23:59), got "${spec.dailyAt}"`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.timeZone });
  } catch {
    throw new Error(`unknown time zone "${spec.timeZone}"`);
  }
}

/** When a new schedule first fires: an interval schedule at once, a daily one at the next HH:MM. */
export function firstRunAt(spec: ScheduleSpec, now: Date): Date {
  return 'everySeconds' in spec ? new Date(now.getTime()) : nextDailyAfter(spec.dailyAt, spec.timeZone, now);
}

/**
 * The next due time strictly after `now`, given the due time that has just fired (`due` ≤ now). Periods
 * missed entirely are skipped: a schedule fires at most once per poll, however long the nodes were down.
 */
export function nextRunAfter(spec: ScheduleSpec, due: Date, now: Date): Date {
  if ('everySeconds' in spec) {
    const step = spec.everySeconds * 1000;
    const missed = Math.floor((now.getTime() - due.getTime()) / step);
    return new Date(due.getTime() + (Math.max(missed, 0) + 1) * step);
  }
  return nextDailyAfter(spec.dailyAt, spec.timeZone, now);
}

/** The first instant strictly after `now` whose wall-clock time in `timeZone` is `hhmm`. */
export function nextDailyAfter(hhmm: string, zoneName: string, now: Date): Date {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new Error(`dailyAt must be HH:MM, got "${hhmm}"`);
  const msOfDay = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  // Zone arithmetic is core/time's (one implementation of wall time ↔ instant, DST gaps and overlaps included).
  const zone = timeZone(zoneName);
  const today = zone.localDay(now.getTime());
  for (let addDays = 0; addDays <= 2; addDays++) {
    const at = zone.instantOf(today + addDays, msOfDay);
    if (at > now.getTime()) return new Date(at);
  }
  throw new Error(`no ${hhmm} in ${zoneName} within two days of ${now.toISOString()}`);
}

/**
 * The instant whose wall-clock time in `zoneName` is the given one. A wall time skipped by a daylight-saving jump
 * moves forward by the jump (02:30 → 03:30); an ambiguous one (clocks set back) takes its first occurrence — the
 * same choices as Temporal's "compatible". Russian zones have no DST since 2014.
 */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, zoneName: string): Date {
  return new Date(timeZone(zoneName).instantOf(dayFromCivil(year, month, day), (hour * 60 + minute) * 60_000));
}
