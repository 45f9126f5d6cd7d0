/**
 * The production calendar as precomputed integer arrays over a contiguous run of years (e.g. 2020–2027):
 * per-day flags, next/previous working day, cumulative working-day counts and the list of working days, so that
 * "is this a working day", "n working days later", "previous working day" are O(1) array reads.
 *
 * Build it from `CalendarYear`s (the shipped files, or those plus corrections from the database) with
 * `buildCalendar`; compare two calendars with `changedYears` to find open cases whose deadlines must be recomputed.
 * Asking about a day outside the calendar's years throws `CalendarRangeError` — never a guess.
 */
import {
  type CalendarSource,
  type CalendarYear,
  DAY_HOLIDAY,
  DAY_SHORTENED,
  DAY_WORKING,
  DAY_WORKING_WEEKEND,
  type ResolvedYear,
  resolveYear,
} from './calendar-data.ts';
import {
  type DayInput,
  type DayNumber,
  dayFromCivil,
  formatIsoDate,
  type IsoDate,
  isoWeekday,
  toDayNumber,
  yearOfDay,
} from './days.ts';
import { CalendarDataError, CalendarRangeError } from './errors.ts';

/** What to do when the last day of a calendar-day period is not a working day (domain-ru §1.6). */
export type LastDayPolicy = 'previous_working_day' | 'next_working_day' | 'none';

/** Which day is day 1 of a period "within N days of X" (domain-ru §1.6). */
export type DayCounting =
  /** Day 0 is the start date, day 1 the next one: registered 01.03 + 30 days → 31.03 (the default). */
  | 'from_next_day'
  /** Day 1 is the start date itself: registered 01.03 + 30 days → 30.03. */
  | 'from_start_day';

export interface CalendarYearInfo {
  year: number;
  provisional: boolean;
  /** The federal year's sources, then the regional overlay's, if any. */
  sources: CalendarSource[];
  /** Regional overlay applied to this year, e.g. `RU-TA`. */
  region: string | undefined;
  /** Working days and hours of the five-day 40-hour week per the transfer decree (before extraordinary days off). */
  norm: { workingDays: number; workingHours: number };
  /** The same after extraordinary non-working days (what the calendar actually uses). */
  actual: { workingDays: number; workingHours: number };
  /** A short digest of the year's resolved days; equal digests = same days off, shortened days and schedules. */
  digest: string;
}

export interface DayInfo {
  date: IsoDate;
  weekday: number;
  working: boolean;
  shortened: boolean;
  /** Norm hours of a five-day 40-hour week: 8, 7 on a shortened day, 0 on a day off. */
  hours: number;
  holiday: boolean;
  /** A Saturday or Sunday made working by a transfer. */
  workingWeekend: boolean;
  /** Why the day is special (holiday, transfer, decree), in Russian; empty for an ordinary day. */
  reasons: string[];
}

export class ProductionCalendar {
  /** The region whose overlay is applied, or undefined for the federal calendar. */
  readonly region: string | undefined;
  readonly firstYear: number;
  readonly lastYear: number;
  /** Day number of 1 January of `firstYear`. */
  readonly firstDay: DayNumber;
  /** Number of days covered. */
  readonly length: number;
  /** `DAY_*` bits per day index (day number − firstDay). */
  readonly flags: Uint8Array;
  /** The ISO weekday whose office hours apply on each day (a working Saturday works as the weekday it replaces). */
  readonly scheduleAs: Uint8Array;
  /** cumulativeWorking[i] = working days among indices [0, i). Length `length + 1`. */
  readonly cumulativeWorking: Int32Array;
  /** Indices of the working days, ascending. */
  readonly workingIndex: Int32Array;
  /** First working index ≥ i, or −1. */
  readonly nextWorking: Int32Array;
  /** Last working index ≤ i, or −1. */
  readonly previousWorking: Int32Array;
  readonly #years: Map<number, CalendarYearInfo>;
  readonly #reasons: Map<DayNumber, string[]>;
  /** [first day, first day of the next year) of each provisional year, flattened. */
  readonly #provisionalRanges: number[];

  /** Use `buildCalendar`. */
  constructor(resolved: ResolvedYear[], infos: CalendarYearInfo[], region: string | undefined) {
    this.region = region;
    this.firstYear = resolved[0]!.year;
    this.lastYear = resolved[resolved.length - 1]!.year;
    this.firstDay = resolved[0]!.firstDay;
    this.length = dayFromCivil(this.lastYear + 1, 1, 1) - this.firstDay;
    const n = this.length;
    this.flags = new Uint8Array(n);
    this.scheduleAs = new Uint8Array(n);
    this.#reasons = new Map();
    for (const y of resolved) {
      this.flags.set(y.flags, y.firstDay - this.firstDay);
      this.scheduleAs.set(y.scheduleAs, y.firstDay - this.firstDay);
      for (const [day, list] of y.reasons) this.#reasons.set(day, list);
    }
    this.cumulativeWorking = new Int32Array(n + 1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      this.cumulativeWorking[i] = count;
      if (this.flags[i]! & DAY_WORKING) count++;
    }
    this.cumulativeWorking[n] = count;
    this.workingIndex = new Int32Array(count);
    this.nextWorking = new Int32Array(n);
    this.previousWorking = new Int32Array(n);
    let w = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      if (this.flags[i]! & DAY_WORKING) {
        this.workingIndex[w++] = i;
        prev = i;
      }
      this.previousWorking[i] = prev;
    }
    let next = -1;
    for (let i = n - 1; i >= 0; i--) {
      if (this.flags[i]! & DAY_WORKING) next = i;
      this.nextWorking[i] = next;
    }
    this.#years = new Map(infos.map((y) => [y.year, y]));
    this.#provisionalRanges = infos
      .filter((y) => y.provisional)
      .flatMap((y) => [dayFromCivil(y.year, 1, 1), dayFromCivil(y.year + 1, 1, 1)]);
  }

  // --- Index helpers (fast path: integers in, integers out) -------------------------------------------------------

  /** The array index of a day number; throws `CalendarRangeError` outside the calendar. */
  index(day: DayNumber): number {
    const i = day - this.firstDay;
    if (i < 0 || i >= this.length) this.outOfRange(day);
    return i;
  }

  /** Throws the range error for a day number (or an index beyond either end, given as a day number). */
  outOfRange(day: DayNumber, detail?: string): never {
    throw new CalendarRangeError(yearOfDay(day), this.firstYear, this.lastYear, detail);
  }

  // --- Questions about one day ------------------------------------------------------------------------------------

  /** True on a working day (a weekday that is not a holiday or transferred day off, or a working weekend day). */
  isWorkingDay(day: DayInput): boolean {
    return (this.flags[this.index(toDayNumber(day))]! & DAY_WORKING) !== 0;
  }

  /** True on a shortened pre-holiday working day (ТК РФ ст. 95). */
  isShortened(day: DayInput): boolean {
    return (this.flags[this.index(toDayNumber(day))]! & DAY_SHORTENED) !== 0;
  }

  /** Norm hours of the day for a five-day 40-hour week: 8, 7 on a shortened day, 0 on a day off. */
  dayHours(day: DayInput): number {
    const f = this.flags[this.index(toDayNumber(day))]!;
    return f & DAY_WORKING ? (f & DAY_SHORTENED ? 7 : 8) : 0;
  }

  dayInfo(day: DayInput): DayInfo {
    const d = toDayNumber(day);
    const f = this.flags[this.index(d)]!;
    const working = (f & DAY_WORKING) !== 0;
    const shortened = (f & DAY_SHORTENED) !== 0;
    return {
      date: formatIsoDate(d),
      weekday: isoWeekday(d),
      working,
      shortened,
      hours: working ? (shortened ? 7 : 8) : 0,
      holiday: (f & DAY_HOLIDAY) !== 0,
      workingWeekend: (f & DAY_WORKING_WEEKEND) !== 0,
      reasons: [...(this.#reasons.get(d) ?? [])],
    };
  }

  // --- Day arithmetic ---------------------------------------------------------------------------------------------

  /** The first working day on or after `day`. */
  nextWorkingDay(day: DayInput): DayNumber {
    const d = toDayNumber(day);
    const j = this.nextWorking[this.index(d)]!;
    if (j < 0) this.outOfRange(dayFromCivil(this.lastYear + 1, 1, 1), `no working day after ${formatIsoDate(d)} in the calendar`);
    return this.firstDay + j;
  }

  /** The last working day on or before `day`. */
  previousWorkingDay(day: DayInput): DayNumber {
    const d = toDayNumber(day);
    const j = this.previousWorking[this.index(d)]!;
    if (j < 0) this.outOfRange(this.firstDay - 1, `no working day before ${formatIsoDate(d)} in the calendar`);
    return this.firstDay + j;
  }

  /**
   * The last day of a period of `n` calendar days starting at `start` (day 0 = `start` by default), moved by the
   * policy when it is not a working day. Under `previous_working_day` the result never falls before `start`: when
   * there is no working day between them, the next working day is taken instead.
   */
  addCalendarDays(
    start: DayInput,
    n: number,
    policy: LastDayPolicy = 'previous_working_day',
    counting: DayCounting = 'from_next_day',
  ): DayNumber {
    const s = this.index(toDayNumber(start));
    return this.firstDay + this.addCalendarDaysAt(s, n, policy, counting);
  }

  /** `addCalendarDays` on indices (no allocation). */
  addCalendarDaysAt(s: number, n: number, policy: LastDayPolicy, counting: DayCounting): number {
    if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`a number of days must be a whole number ≥ 0: ${n}`);
    const t = counting === 'from_start_day' && n > 0 ? s + n - 1 : s + n;
    if (t >= this.length) this.outOfRange(this.firstDay + t);
    if (policy === 'none' || this.flags[t]! & DAY_WORKING) return t;
    if (policy === 'previous_working_day') {
      const p = this.previousWorking[t]!;
      if (p >= s) return p;
    }
    const nx = this.nextWorking[t]!;
    if (nx < 0)
      this.outOfRange(dayFromCivil(this.lastYear + 1, 1, 1), `no working day after ${formatIsoDate(this.firstDay + t)}`);
    return nx;
  }

  /**
   * The n-th working day after `start` (`start` itself is never counted, whether working or not). n = 0 → `start`.
   * countWorkingDays(start, addWorkingDays(start, n)) === n.
   */
  addWorkingDays(start: DayInput, n: number): DayNumber {
    return this.firstDay + this.addWorkingDaysAt(this.index(toDayNumber(start)), n);
  }

  /** `addWorkingDays` on indices. */
  addWorkingDaysAt(s: number, n: number): number {
    if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`a number of working days must be a whole number ≥ 0: ${n}`);
    if (n === 0) return s;
    const k = this.cumulativeWorking[s + 1]! + n - 1;
    if (k >= this.workingIndex.length)
      this.outOfRange(dayFromCivil(this.lastYear + 1, 1, 1), `${n} working days after ${formatIsoDate(this.firstDay + s)}`);
    return this.workingIndex[k]!;
  }

  /** Working days in (from, to]: after `from`, up to and including `to`. Negative when `to` < `from`. */
  countWorkingDays(from: DayInput, to: DayInput): number {
    const a = this.index(toDayNumber(from));
    const b = this.index(toDayNumber(to));
    return this.cumulativeWorking[b + 1]! - this.cumulativeWorking[a + 1]!;
  }

  // --- Years ------------------------------------------------------------------------------------------------------

  /** The years covered, ascending. */
  years(): number[] {
    return [...this.#years.keys()];
  }

  yearInfo(year: number): CalendarYearInfo {
    const info = this.#years.get(year);
    if (!info) throw new CalendarRangeError(year, this.firstYear, this.lastYear);
    return info;
  }

  /** True when any year from the one of `from` to the one of `to` is provisional. */
  isProvisionalBetween(from: DayNumber, to: DayNumber): boolean {
    const a = Math.min(from, to);
    const b = Math.max(from, to);
    for (let k = 0; k < this.#provisionalRanges.length; k += 2)
      if (a < this.#provisionalRanges[k + 1]! && b >= this.#provisionalRanges[k]!) return true;
    return false;
  }
}

export interface BuildCalendarOptions {
  /** Apply this subject's overlay years (ISO 3166-2, e.g. `RU-TA`). Without it the calendar is federal only. */
  region?: string;
  /** Regional years (with `region` set); only those of `region` are used. */
  overlays?: CalendarYear[];
}

/**
 * Builds a calendar from federal years (contiguous, each once) and, for a region, that region's overlay years.
 * A later entry for the same year is an error: merge corrections before (see `mergeYears`). Every year is checked
 * again with its overlay (`CalendarDataError` names the year and field).
 */
export function buildCalendar(years: CalendarYear[], options: BuildCalendarOptions = {}): ProductionCalendar {
  if (years.length === 0) throw new CalendarDataError('years', 'at least one year is required');
  const federal = [...years].sort((a, b) => a.year - b.year);
  for (const [i, y] of federal.entries()) {
    if (y.region !== undefined)
      throw new CalendarDataError(`calendar ${y.year}: region`, 'a regional year was given as a federal one');
    const prev = federal[i - 1];
    if (prev && prev.year === y.year) throw new CalendarDataError(`calendar ${y.year}`, 'the year is given twice');
    if (prev && prev.year + 1 !== y.year)
      throw new CalendarDataError(`calendar ${prev.year + 1}`, `the years must be contiguous: ${prev.year + 1} is missing`);
  }
  const region = options.region;
  const overlayByYear = new Map<number, CalendarYear>();
  for (const o of options.overlays ?? []) {
    if (o.region === undefined) throw new CalendarDataError(`overlay ${o.year}: region`, 'an overlay year needs a region');
    if (o.region !== region) continue;
    if (overlayByYear.has(o.year)) throw new CalendarDataError(`overlay ${o.region} ${o.year}`, 'the year is given twice');
    overlayByYear.set(o.year, o);
  }
  for (const y of overlayByYear.keys())
    if (y < federal[0]!.year || y > federal[federal.length - 1]!.year)
      throw new CalendarDataError(`overlay ${region} ${y}`, `no federal calendar for ${y}`);
  const resolved: ResolvedYear[] = [];
  const infos: CalendarYearInfo[] = [];
  for (const y of federal) {
    const overlay = overlayByYear.get(y.year);
    const r = resolveYear(y, overlay, `calendar ${y.year}`);
    resolved.push(r);
    let workingDays = 0;
    let workingHours = 0;
    for (const f of r.flags)
      if (f & DAY_WORKING) {
        workingDays++;
        workingHours += f & DAY_SHORTENED ? 7 : 8;
      }
    infos.push({
      year: y.year,
      provisional: y.provisional || (overlay?.provisional ?? false),
      sources: [...y.sources, ...(overlay?.sources ?? [])],
      region: overlay ? region : undefined,
      norm: r.norm,
      actual: { workingDays, workingHours },
      digest: digest(r.flags, r.scheduleAs),
    });
  }
  return new ProductionCalendar(resolved, infos, region);
}

/**
 * Replaces years by corrections: the result has one entry per (region, year), the correction winning. Use it to
 * combine the shipped years with those published in the database before `buildCalendar`.
 */
export function mergeYears(base: CalendarYear[], corrections: CalendarYear[]): CalendarYear[] {
  const key = (y: CalendarYear) => `${y.region ?? ''}:${y.year}`;
  const map = new Map(base.map((y) => [key(y), y]));
  for (const c of corrections) map.set(key(c), c);
  return [...map.values()].sort((a, b) => a.year - b.year);
}

/**
 * The years whose days differ between two calendars (a day's working/shortened status or its schedule), plus the
 * years present in only one of them, ascending. Deadlines of open cases touching these years need recomputing.
 */
export function changedYears(before: ProductionCalendar, after: ProductionCalendar): number[] {
  const all = new Set([...before.years(), ...after.years()]);
  const changed: number[] = [];
  for (const y of [...all].sort((a, b) => a - b)) {
    if (!before.years().includes(y) || !after.years().includes(y)) {
      changed.push(y);
      continue;
    }
    if (before.yearInfo(y).provisional !== after.yearInfo(y).provisional || !sameDays(before, after, y)) changed.push(y);
  }
  return changed;
}

function sameDays(a: ProductionCalendar, b: ProductionCalendar, year: number): boolean {
  const first = dayFromCivil(year, 1, 1);
  const n = dayFromCivil(year + 1, 1, 1) - first;
  const ia = first - a.firstDay;
  const ib = first - b.firstDay;
  for (let i = 0; i < n; i++)
    if (a.flags[ia + i] !== b.flags[ib + i] || a.scheduleAs[ia + i] !== b.scheduleAs[ib + i]) return false;
  return true;
}

/** FNV-1a (32-bit) over the flags and schedule bytes, as 8 hex digits. */
function digest(flags: Uint8Array, scheduleAs: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const bytes of [flags, scheduleAs])
    for (const b of bytes) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  return h.toString(16).padStart(8, '0');
}
