/**
 * A deliberately naive implementation of the calendar-day and working-day deadlines — a day-by-day loop over `Date`
 * objects, a `Set` of ISO dates, `Intl` for every zone conversion — written the obvious way. It is the baseline of
 * the benchmark (`npm run bench -- time`) and the oracle the property tests compare the fast path with. Not exported
 * from `index.ts`; do not use it in application code.
 */
import type { DayCounting, LastDayPolicy, ProductionCalendar } from './calendar.ts';
import { formatIsoDate } from './days.ts';

export interface NaiveCalendar {
  /** ISO dates of the working days. */
  working: Set<string>;
  zone: string;
  format: Intl.DateTimeFormat;
}

/** The working days of a calendar as a Set of `YYYY-MM-DD`, plus an Intl formatter for the zone. */
export function naiveCalendar(calendar: ProductionCalendar, zone: string): NaiveCalendar {
  const working = new Set<string>();
  for (let i = 0; i < calendar.length; i++)
    if (calendar.isWorkingDay(calendar.firstDay + i)) working.add(formatIsoDate(calendar.firstDay + i));
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return { working, zone, format };
}

function parts(nc: NaiveCalendar, at: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of nc.format.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** The local date of an instant as a UTC-midnight Date. */
function localMidnight(nc: NaiveCalendar, at: Date): Date {
  const p = parts(nc, at);
  return new Date(Date.UTC(p.year!, p.month! - 1, p.day!));
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** 23:59:59 local of a UTC-midnight Date, found by asking Intl for the offset at a guess and correcting once. */
function endOfDay(nc: NaiveCalendar, day: Date): Date {
  const wall = day.getTime() + 86_399_000;
  let guess = new Date(wall);
  for (let k = 0; k < 2; k++) {
    const p = parts(nc, guess);
    const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    guess = new Date(wall - (asUtc - guess.getTime()));
  }
  return guess;
}

export function naiveCalendarDays(
  nc: NaiveCalendar,
  start: Date,
  n: number,
  policy: LastDayPolicy = 'previous_working_day',
  counting: DayCounting = 'from_next_day',
): Date {
  const first = localMidnight(nc, start);
  const d = new Date(first);
  const steps = counting === 'from_start_day' && n > 0 ? n - 1 : n;
  for (let i = 0; i < steps; i++) d.setUTCDate(d.getUTCDate() + 1);
  if (policy !== 'none' && !nc.working.has(iso(d))) {
    const back = new Date(d);
    if (policy === 'previous_working_day') {
      while (back >= first && !nc.working.has(iso(back))) back.setUTCDate(back.getUTCDate() - 1);
    }
    if (policy === 'previous_working_day' && back >= first) return endOfDay(nc, back);
    while (!nc.working.has(iso(d))) d.setUTCDate(d.getUTCDate() + 1);
  }
  return endOfDay(nc, d);
}

export function naiveWorkingDays(nc: NaiveCalendar, start: Date, n: number): Date {
  const d = localMidnight(nc, start);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (nc.working.has(iso(d))) left--;
  }
  return endOfDay(nc, d);
}
