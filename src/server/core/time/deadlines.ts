/**
 * Deadlines on instants, in the municipality's time zone. A start instant is first turned into its local day (an
 * appeal received at 23:30 Moscow time is already the next day in Kemerovo), the arithmetic runs on day numbers in
 * the calendar, and a day-based deadline is due at the END of its last day in that zone (23:59:59 local, e.g.
 * `2026-05-29T23:59:59+07:00`). Something done at any moment of the due day is on time: see `isOverdue`.
 */
import type { Clock } from '../clock.ts';
import type { DayCounting, LastDayPolicy, ProductionCalendar } from './calendar.ts';
import { DAY_WORKING } from './calendar-data.ts';
import { type DayNumber, formatIsoDate, type IsoDate, toDayNumber } from './days.ts';
import { formatInstant, type TimeZone, toZone, type ZoneInput } from './zone.ts';

export interface DayDeadlineContext {
  calendar: ProductionCalendar;
  zone: ZoneInput;
  /** Last day on a day off: `previous_working_day` (default), `next_working_day` or `none`. */
  policy?: LastDayPolicy;
  /** Day 0 = the start date (default `from_next_day`: registered 01.03 + 30 → 31.03). */
  counting?: DayCounting;
}

/** A day-based due date: the local date, the due instant (end of that day) and the instant written with its offset. */
export interface DueDate {
  date: IsoDate;
  dueAt: Date;
  dueAtText: string;
  /** The due date rests on a provisional calendar year. */
  provisional: boolean;
}

/** The local date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(instant: Date, zone: ZoneInput): IsoDate {
  return formatIsoDate(toZone(zone).localDay(instant.getTime()));
}

/** Whether the local day of an instant is a working day. */
export function isWorkingDayAt(instant: Date, calendar: ProductionCalendar, zone: ZoneInput): boolean {
  const i = calendar.index(toZone(zone).localDay(instant.getTime()));
  return (calendar.flags[i]! & DAY_WORKING) !== 0;
}

/** `n` calendar days after the local day of `start`, moved by the policy; due at the end of that day. */
export function addCalendarDaysDeadline(start: Date, n: number, ctx: DayDeadlineContext): DueDate {
  const zone = toZone(ctx.zone);
  const startDay = zone.localDay(start.getTime());
  const s = ctx.calendar.index(startDay);
  const due =
    ctx.calendar.firstDay +
    ctx.calendar.addCalendarDaysAt(s, n, ctx.policy ?? 'previous_working_day', ctx.counting ?? 'from_next_day');
  return dueDate(ctx.calendar, zone, startDay, due);
}

/** The `n`-th working day after the local day of `start` (that day not counted); due at the end of that day. */
export function addWorkingDaysDeadline(start: Date, n: number, ctx: Pick<DayDeadlineContext, 'calendar' | 'zone'>): DueDate {
  const zone = toZone(ctx.zone);
  const startDay = zone.localDay(start.getTime());
  const due = ctx.calendar.firstDay + ctx.calendar.addWorkingDaysAt(ctx.calendar.index(startDay), n);
  return dueDate(ctx.calendar, zone, startDay, due);
}

/**
 * The fast path of `addCalendarDaysDeadline` for bulk use: epoch milliseconds in, epoch milliseconds out, nothing
 * allocated (what the benchmark measures).
 */
export function calendarDaysDueMs(
  startMs: number,
  n: number,
  calendar: ProductionCalendar,
  zone: TimeZone,
  policy: LastDayPolicy = 'previous_working_day',
  counting: DayCounting = 'from_next_day',
): number {
  const s = calendar.index(zone.localDay(startMs));
  return zone.endOfDay(calendar.firstDay + calendar.addCalendarDaysAt(s, n, policy, counting));
}

/** The fast path of `addWorkingDaysDeadline`: epoch milliseconds in and out. */
export function workingDaysDueMs(startMs: number, n: number, calendar: ProductionCalendar, zone: TimeZone): number {
  const s = calendar.index(zone.localDay(startMs));
  return zone.endOfDay(calendar.firstDay + calendar.addWorkingDaysAt(s, n));
}

/** The end (23:59:59 local) of a day in a zone. */
export function endOfLocalDay(day: IsoDate | DayNumber, zone: ZoneInput): Date {
  const z = toZone(zone);
  return new Date(z.endOfDay(toDayNumber(day)));
}

/**
 * True once the due second has passed: a day-based deadline due at 23:59:59 is met by anything done during that
 * day, up to 23:59:59.999, and missed from 00:00:00 of the next day.
 */
export function isOverdue(dueAt: Date, at: Date): boolean {
  return at.getTime() >= endOfSecond(dueAt.getTime());
}

function endOfSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000 + 1000;
}

export interface DeadlineState {
  overdue: boolean;
  /** The due instant falls on today's local date. */
  dueToday: boolean;
  /** Milliseconds left until the deadline passes, i.e. until the end of the due second (≤ 0 once overdue). */
  remainingMs: number;
}

/** Where a deadline stands now, by the injected clock, in the municipality's zone. */
export function deadlineState(dueAt: Date, clock: Clock, zone: ZoneInput): DeadlineState {
  const now = clock.now();
  const z = toZone(zone);
  return {
    overdue: isOverdue(dueAt, now),
    dueToday: z.localDay(now.getTime()) === z.localDay(dueAt.getTime()),
    remainingMs: endOfSecond(dueAt.getTime()) - now.getTime(),
  };
}

function dueDate(calendar: ProductionCalendar, zone: TimeZone, startDay: DayNumber, due: DayNumber): DueDate {
  const ms = zone.endOfDay(due);
  return {
    date: formatIsoDate(due),
    dueAt: new Date(ms),
    dueAtText: formatInstant(ms, zone),
    provisional: calendar.isProvisionalBetween(startDay, due),
  };
}
