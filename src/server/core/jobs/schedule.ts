/**
 * Recurring-job timing, pure. A schedule is either every N seconds (aligned to its first run, so a period
 * missed while no node was up fires once, not once per missed period) or daily at HH:MM wall-clock time in
 * an IANA time zone (Kuzbass is Asia/Novokuznetsk).
 */
export type ScheduleSpec = { everySeconds: number } | { dailyAt: string; timeZone: string };

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
export function nextDailyAfter(hhmm: string, timeZone: string, now: Date): Date {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new Error(`dailyAt must be HH:MM, got "${hhmm}"`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const today = wallClock(now, timeZone);
  for (let addDays = 0; addDays <= 2; addDays++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + addDays));
    const at = zonedToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, minute, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error(`no ${hhmm} in ${timeZone} within two days of ${now.toISOString()}`);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of `at` in `timeZone`. */
export function wallClock(at: Date, timeZone: string): WallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The UTC offset of `timeZone` at `at`, in milliseconds (east positive). */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant whose wall-clock time in `timeZone` is the given one. A wall time skipped by a daylight-saving
 * jump moves forward by the jump (02:30 → 03:30); an ambiguous one (clocks set back) takes its first
 * occurrence — the same choices as Temporal's "compatible". Russian zones have no DST since 2014.
 */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Two rounds settle the offset in every zone (the second corrects a guess made across a transition).
  const first = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(first), timeZone);
  if (second === first) {
    // Ambiguous (the clocks were set back): prefer the earlier instant if it shows the same wall time.
    const earlier = wall - offsetMs(new Date(first - 3600_000), timeZone);
    if (earlier < first && wallMatches(new Date(earlier), timeZone, wall)) return new Date(earlier);
    return new Date(first);
  }
  // The guess crossed a transition: take whichever candidate shows the asked wall time, else the later one.
  if (wallMatches(new Date(second), timeZone, wall)) return new Date(second);
  return new Date(Math.max(first, second));
}

function wallMatches(at: Date, timeZone: string, wall: number): boolean {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === wall;
}
