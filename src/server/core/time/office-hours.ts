/**
 * Working time within a municipality's office hours: adding working hours to an instant and measuring the working
 * time between two instants (reaction-time statistics). Office hours are local wall times per weekday; only the
 * calendar's working days count, a shortened pre-holiday day ends earlier (one hour by default), and a working
 * Saturday keeps the hours of the weekday whose day off it gave.
 *
 * A `WorkSchedule` precomputes the cumulative working milliseconds per day over the calendar, so "working time
 * before instant t" is one array read plus the part of t's own day, and adding time is a binary search.
 */
import type { ProductionCalendar } from './calendar.ts';
import { DAY_SHORTENED, DAY_WORKING } from './calendar-data.ts';
import { dayFromCivil } from './days.ts';
import { DeadlineSettingError } from './errors.ts';
import { type TimeZone, toZone, type ZoneInput } from './zone.ts';

/** Local `HH:MM` times. */
export type OfficeInterval = readonly [start: string, end: string];

export interface OfficeHours {
  /** Working intervals per ISO weekday (1 = Monday … 7 = Sunday), ascending and not overlapping; absent = closed. */
  week: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, readonly OfficeInterval[]>>;
  /** Minutes cut from the end of a shortened pre-holiday day (ТК РФ ст. 95: one hour). Default 60. */
  shortenedByMinutes?: number;
}

const MON_THU: readonly OfficeInterval[] = [
  ['09:00', '13:00'],
  ['13:48', '18:00'],
];

/**
 * A typical municipal administration: Mon–Thu 09:00–18:00, Fri 09:00–16:45, lunch 13:00–13:48 (8 h 12 min on
 * Mon–Thu, 6 h 57 min on Friday); a shortened day ends an hour earlier.
 */
export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({
  week: Object.freeze({
    1: MON_THU,
    2: MON_THU,
    3: MON_THU,
    4: MON_THU,
    5: [
      ['09:00', '13:00'],
      ['13:48', '16:45'],
    ] as const,
  }),
  shortenedByMinutes: 60,
});

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutes(text: string, field: string): number {
  const m = HHMM.exec(text);
  const value = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!m || value > 24 * 60)
    throw new DeadlineSettingError(field, `not a local time HH:MM between 00:00 and 24:00: ${JSON.stringify(text)}`);
  return value;
}

/** Checks office hours and returns, per weekday (index 1–7), the intervals in ms after midnight as [a, b, a, b, …]. */
function parseOfficeHours(hours: OfficeHours): { byWeekday: number[][]; cutMs: number } {
  const byWeekday: number[][] = [[]];
  for (let wd = 1; wd <= 7; wd++) {
    const list = hours.week[wd as 1] ?? [];
    const flat: number[] = [];
    list.forEach(([a, b], i) => {
      const field = `officeHours.week.${wd}[${i}]`;
      const start = minutes(a, field);
      const end = minutes(b, field);
      if (end <= start) throw new DeadlineSettingError(field, `the interval ${a}–${b} is empty or reversed`);
      if (flat.length > 0 && start < flat[flat.length - 1]! / 60_000)
        throw new DeadlineSettingError(field, `the interval ${a}–${b} overlaps or precedes the previous one`);
      flat.push(start * 60_000, end * 60_000);
    });
    byWeekday.push(flat);
  }
  const cut = hours.shortenedByMinutes ?? 60;
  if (!Number.isInteger(cut) || cut < 0 || cut > 24 * 60)
    throw new DeadlineSettingError('officeHours.shortenedByMinutes', 'must be a whole number of minutes from 0 to 1440');
  return { byWeekday, cutMs: cut * 60_000 };
}

/** Removes `cutMs` from the end of a day's intervals. */
function shorten(flat: number[], cutMs: number): number[] {
  const out = [...flat];
  let left = cutMs;
  while (left > 0 && out.length > 0) {
    const a = out[out.length - 2]!;
    const b = out[out.length - 1]!;
    if (b - a > left) {
      out[out.length - 1] = b - left;
      left = 0;
    } else {
      left -= b - a;
      out.length -= 2;
    }
  }
  return out;
}

export class WorkSchedule {
  readonly calendar: ProductionCalendar;
  /** Working intervals of each template; template 0 = a day off. */
  readonly #templates: number[][];
  readonly #templateOfDay: Uint8Array;
  /** cumulative[i] = working ms on day indices [0, i). */
  readonly #cumulative: Float64Array;

  constructor(calendar: ProductionCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS) {
    this.calendar = calendar;
    const { byWeekday, cutMs } = parseOfficeHours(hours);
    // Template id = weekday * 2 + shortened (2–15); 0 = no work.
    this.#templates = [[]];
    for (let id = 1; id < 16; id++) {
      const wd = id >> 1;
      this.#templates.push(wd === 0 ? [] : id & 1 ? shorten(byWeekday[wd]!, cutMs) : byWeekday[wd]!);
    }
    const n = calendar.length;
    this.#templateOfDay = new Uint8Array(n);
    this.#cumulative = new Float64Array(n + 1);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const f = calendar.flags[i]!;
      const id = f & DAY_WORKING ? calendar.scheduleAs[i]! * 2 + (f & DAY_SHORTENED ? 1 : 0) : 0;
      this.#templateOfDay[i] = id;
      this.#cumulative[i] = sum;
      sum += total(this.#templates[id]!);
    }
    this.#cumulative[n] = sum;
  }

  /** Working milliseconds from the calendar's first day up to an instant. */
  workedBefore(epochMs: number, zone: TimeZone): number {
    const { day, msOfDay } = zone.localDayAndTime(epochMs);
    const i = this.calendar.index(day);
    return this.#cumulative[i]! + within(this.#templates[this.#templateOfDay[i]!]!, msOfDay);
  }

  /** Working milliseconds between two instants (negative when `to` is before `from`). Additive: a→b + b→c = a→c. */
  between(fromMs: number, toMs: number, zone: TimeZone): number {
    return this.workedBefore(toMs, zone) - this.workedBefore(fromMs, zone);
  }

  /**
   * The instant at which `durationMs` of working time has passed after `startMs`. When the time runs out exactly
   * at the end of an interval (e.g. at closing time), that end is the answer, not the next opening.
   */
  add(startMs: number, durationMs: number, zone: TimeZone): number {
    if (!(durationMs >= 0)) throw new RangeError(`a working duration must be ≥ 0: ${durationMs}`);
    if (durationMs === 0) return startMs;
    const target = this.workedBefore(startMs, zone) + durationMs;
    const cum = this.#cumulative;
    const n = this.calendar.length;
    if (cum[n]! < target)
      this.calendar.outOfRange(
        dayFromCivil(this.calendar.lastYear + 1, 1, 1),
        'the working time runs past the end of the calendar',
      );
    // Smallest i with cum[i + 1] >= target; then cum[i] < target, so day i has working time.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    let left = target - cum[lo]!;
    const t = this.#templates[this.#templateOfDay[lo]!]!;
    for (let k = 0; k < t.length; k += 2) {
      const length = t[k + 1]! - t[k]!;
      if (left <= length) return zone.instantOf(this.calendar.firstDay + lo, t[k]! + left);
      left -= length;
    }
    /* c8 ignore next */
    throw new Error('unreachable: working time not found within the day');
  }

  /** Working milliseconds of one day (by index). */
  dayTotal(index: number): number {
    return this.#cumulative[index + 1]! - this.#cumulative[index]!;
  }
}

function total(flat: number[]): number {
  let s = 0;
  for (let k = 0; k < flat.length; k += 2) s += flat[k + 1]! - flat[k]!;
  return s;
}

function within(flat: number[], msOfDay: number): number {
  let s = 0;
  for (let k = 0; k < flat.length; k += 2) {
    const a = flat[k]!;
    const b = flat[k + 1]!;
    if (msOfDay <= a) break;
    s += Math.min(msOfDay, b) - a;
  }
  return s;
}

interface ScheduleCache {
  byObject: WeakMap<OfficeHours, WorkSchedule>;
  byValue: Map<string, WorkSchedule>;
}

const schedules = new WeakMap<ProductionCalendar, ScheduleCache>();

/**
 * The schedule of a calendar with given office hours, cached per calendar: by the office-hours object (weakly) and
 * by its content, so office hours read afresh from the database for each request reuse one schedule.
 */
export function workSchedule(calendar: ProductionCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS): WorkSchedule {
  let cache = schedules.get(calendar);
  if (!cache) {
    cache = { byObject: new WeakMap(), byValue: new Map() };
    schedules.set(calendar, cache);
  }
  let schedule = cache.byObject.get(hours);
  if (!schedule) {
    const key = JSON.stringify([[1, 2, 3, 4, 5, 6, 7].map((wd) => hours.week[wd as 1] ?? []), hours.shortenedByMinutes ?? 60]);
    schedule = cache.byValue.get(key);
    if (!schedule) {
      schedule = new WorkSchedule(calendar, hours);
      cache.byValue.set(key, schedule);
    }
    cache.byObject.set(hours, schedule);
  }
  return schedule;
}

export interface WorkingTimeContext {
  calendar: ProductionCalendar;
  zone: ZoneInput;
  /** Defaults to `DEFAULT_OFFICE_HOURS`. */
  officeHours?: OfficeHours;
}

/** `start` plus `hours` of working time within office hours, in the municipality's zone. */
export function addWorkingHours(start: Date, hours: number, ctx: WorkingTimeContext): Date {
  const schedule = workSchedule(ctx.calendar, ctx.officeHours);
  return new Date(schedule.add(start.getTime(), Math.round(hours * 3_600_000), toZone(ctx.zone)));
}

/** Working time between two instants within office hours, in milliseconds (negative if `to` < `from`). */
export function workingTimeBetween(from: Date, to: Date, ctx: WorkingTimeContext): number {
  return workSchedule(ctx.calendar, ctx.officeHours).between(from.getTime(), to.getTime(), toZone(ctx.zone));
}
