/**
 * The production calendar as data: one `CalendarYear` per year (the shipped files `calendar/ru-YYYY.json`, or a
 * correction an administrator publishes in the same JSON shape), and regional overlays (`calendar/regions/*.json`)
 * that add a subject's own non-working holidays. `parseCalendarYear` checks the shape strictly (unknown fields are
 * an error) and the facts against each other; every error names the document and the field.
 *
 * How a year is read (layers, in order):
 *  1. Saturdays and Sundays are days off, Monday–Friday are working days.
 *  2. `holidays` (ТК РФ ст. 112 ч. 1, plus a region's own) are days off.
 *  3. `transfers` move a day off: `to` (a weekday) becomes a day off; `from` (a Saturday or Sunday) becomes a
 *     working day unless it is itself a holiday. A Saturday/Sunday made working is listed in `workingWeekends` too.
 *     `basis: "statutory"` is the automatic ст. 112 ч. 2 move to the next working day; `"decree"` is a Government one.
 *  4. `shortened` working days are one hour shorter (ТК РФ ст. 95): shipped as data, never computed.
 *     → `totals` (the published working-day count and hours of a 40-hour week) are checked at this layer.
 *  5. `nonWorking` periods (extraordinary non-working days set by a Presidential decree, e.g. 2020–2021) are days
 *     off on top of everything; a shortened day inside such a period is simply off.
 */

import { type DayNumber, dayFromCivil, formatIsoDate, type IsoDate, isoWeekday, tryParseIsoDate } from './days.ts';
import { CalendarDataError } from './errors.ts';

/** A document the year's facts come from. `verified: false` = not checked against the official text here. */
export interface CalendarSource {
  title: string;
  url?: string;
  verified: boolean;
  note?: string;
}

/** Common to every fact: where it comes from and whether it was verified. */
interface Fact {
  /** The legal source of this fact, e.g. `ТК РФ ст. 112 ч. 1` or `ПП РФ от 24.09.2025 № 1466`. */
  source: string;
  /** False when the fact is from general knowledge or a secondary source only; `note` says what is uncertain. */
  verified: boolean;
  note?: string;
}

export interface CalendarHoliday extends Fact {
  date: IsoDate;
  name: string;
}

export interface CalendarTransfer extends Fact {
  /** The Saturday or Sunday whose day off is moved (a holiday on a weekend, or a plain weekend day). */
  from: IsoDate;
  /** The weekday that becomes a day off. */
  to: IsoDate;
  /** `statutory`: ТК РФ ст. 112 ч. 2 (holiday on a weekend → next working day); `decree`: a Government decree. */
  basis: 'statutory' | 'decree';
}

export interface CalendarDay extends Fact {
  date: IsoDate;
}

export interface CalendarNonWorking extends Fact {
  from: IsoDate;
  to: IsoDate;
  name: string;
}

/** Published totals of the year (five-day week, 40-hour week), checked against the data at load. */
export interface CalendarTotals extends Fact {
  workingDays?: number;
  workingHours?: number;
}

export interface CalendarYear {
  country: 'RU';
  /** ISO 3166-2 code of the subject for a regional overlay year (e.g. `RU-TA`); absent for the federal calendar. */
  region?: string;
  year: number;
  /** True while the year rests on a draft or a third-party calendar rather than the published decree. */
  provisional: boolean;
  sources: CalendarSource[];
  holidays: CalendarHoliday[];
  transfers: CalendarTransfer[];
  workingWeekends: CalendarDay[];
  shortened: CalendarDay[];
  nonWorking: CalendarNonWorking[];
  totals?: CalendarTotals;
  notes: string[];
}

/** A subject's own non-working days, year by year, applied on top of the federal calendar. */
export interface RegionalOverlay {
  region: string;
  name: string;
  sources: CalendarSource[];
  years: CalendarYear[];
}

/** ТК РФ ст. 112 ч. 1: the federal non-working holidays (month, day, name). */
export const TK_112_HOLIDAYS: ReadonlyArray<readonly [number, number, string]> = [
  [1, 1, 'Новогодние каникулы'],
  [1, 2, 'Новогодние каникулы'],
  [1, 3, 'Новогодние каникулы'],
  [1, 4, 'Новогодние каникулы'],
  [1, 5, 'Новогодние каникулы'],
  [1, 6, 'Новогодние каникулы'],
  [1, 7, 'Рождество Христово'],
  [1, 8, 'Новогодние каникулы'],
  [2, 23, 'День защитника Отечества'],
  [3, 8, 'Международный женский день'],
  [5, 1, 'Праздник Весны и Труда'],
  [5, 9, 'День Победы'],
  [6, 12, 'День России'],
  [11, 4, 'День народного единства'],
];

const DEFAULT_HOLIDAY_SOURCE = 'ТК РФ ст. 112 ч. 1';
const DEFAULT_SHORTENED_SOURCE = 'ТК РФ ст. 95 ч. 1';
const REGION_CODE = /^RU-[A-Z]{2,3}$/;

// ---------------------------------------------------------------------------------------------------------------
// Strict reading of untyped JSON

class Reader {
  constructor(readonly where: string) {}
  fail(field: string, reason: string): never {
    throw new CalendarDataError(this.where ? `${this.where}: ${field}` : field, reason);
  }
  object(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field || '(root)', 'must be an object');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.fail(join(field, key), `unknown field (allowed: ${allowed.join(', ')})`);
    }
    return record;
  }
  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'must be an array');
    return value;
  }
  optionalArray(value: unknown, field: string): unknown[] {
    return value === undefined ? [] : this.array(value, field);
  }
  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, 'must be a non-empty string');
    return value;
  }
  optionalString(value: unknown, field: string): string | undefined {
    return value === undefined ? undefined : this.string(value, field);
  }
  boolean(value: unknown, field: string, fallback?: boolean): boolean {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value;
  }
  integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      this.fail(field, `must be a whole number from ${min} to ${max}`);
    return value;
  }
  date(value: unknown, field: string, year: number): IsoDate {
    const text = this.string(value, field);
    const day = tryParseIsoDate(text);
    if (day === undefined) this.fail(field, `not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(text)}`);
    if (Number(text.slice(0, 4)) !== year) this.fail(field, `${text} is outside the year ${year}`);
    return text;
  }
}

const join = (a: string, b: string | number) => (typeof b === 'number' ? `${a}[${b}]` : a ? `${a}.${b}` : b);

function readSources(r: Reader, value: unknown, field: string, required: boolean): CalendarSource[] {
  const list = required ? r.array(value, field) : r.optionalArray(value, field);
  if (required && list.length === 0) r.fail(field, 'at least one source is required');
  return list.map((item, i) => {
    const f = join(field, i);
    const o = r.object(item, f, ['title', 'url', 'verified', 'note']);
    const source: CalendarSource = {
      title: r.string(o.title, join(f, 'title')),
      verified: r.boolean(o.verified, join(f, 'verified')),
    };
    const url = r.optionalString(o.url, join(f, 'url'));
    if (url !== undefined) source.url = url;
    const note = r.optionalString(o.note, join(f, 'note'));
    if (note !== undefined) source.note = note;
    if (!source.verified && note === undefined)
      r.fail(join(f, 'note'), 'an unverified source needs a note saying what is uncertain');
    return source;
  });
}

function readFact(r: Reader, o: Record<string, unknown>, f: string, defaultSource: string | undefined): Fact {
  const source = o.source === undefined && defaultSource !== undefined ? defaultSource : r.string(o.source, join(f, 'source'));
  const fact: Fact = { source, verified: r.boolean(o.verified, join(f, 'verified'), true) };
  const note = r.optionalString(o.note, join(f, 'note'));
  if (note !== undefined) fact.note = note;
  if (!fact.verified && fact.note === undefined)
    r.fail(join(f, 'note'), 'an unverified fact needs a note saying what is uncertain');
  return fact;
}

const FACT_FIELDS = ['source', 'verified', 'note'] as const;

function readYearBody(r: Reader, o: Record<string, unknown>, year: number, region: string | undefined): CalendarYear {
  const federal = region === undefined;
  const holidays = r.optionalArray(o.holidays, 'holidays').map((item, i) => {
    const f = join('holidays', i);
    const h = r.object(item, f, ['date', 'name', ...FACT_FIELDS]);
    return {
      date: r.date(h.date, join(f, 'date'), year),
      name: r.string(h.name, join(f, 'name')),
      ...readFact(r, h, f, federal ? DEFAULT_HOLIDAY_SOURCE : undefined),
    };
  });
  const transfers = r.optionalArray(o.transfers, 'transfers').map((item, i) => {
    const f = join('transfers', i);
    const t = r.object(item, f, ['from', 'to', 'basis', ...FACT_FIELDS]);
    const basis = t.basis;
    if (basis !== 'statutory' && basis !== 'decree') r.fail(join(f, 'basis'), 'must be "statutory" or "decree"');
    return {
      from: r.date(t.from, join(f, 'from'), year),
      to: r.date(t.to, join(f, 'to'), year),
      basis: basis as CalendarTransfer['basis'],
      ...readFact(r, t, f, undefined),
    };
  });
  const days = (field: string, defaultSource: string | undefined) =>
    r.optionalArray(o[field], field).map((item, i) => {
      const f = join(field, i);
      const d = r.object(item, f, ['date', ...FACT_FIELDS]);
      return { date: r.date(d.date, join(f, 'date'), year), ...readFact(r, d, f, defaultSource) };
    });
  const workingWeekends = days('workingWeekends', undefined);
  const shortened = days('shortened', DEFAULT_SHORTENED_SOURCE);
  const nonWorking = r.optionalArray(o.nonWorking, 'nonWorking').map((item, i) => {
    const f = join('nonWorking', i);
    const n = r.object(item, f, ['from', 'to', 'name', ...FACT_FIELDS]);
    const entry = {
      from: r.date(n.from, join(f, 'from'), year),
      to: r.date(n.to, join(f, 'to'), year),
      name: r.string(n.name, join(f, 'name')),
      ...readFact(r, n, f, undefined),
    };
    if (entry.to < entry.from) r.fail(join(f, 'to'), `${entry.to} is before ${entry.from}`);
    return entry;
  });
  let totals: CalendarTotals | undefined;
  if (o.totals !== undefined) {
    const t = r.object(o.totals, 'totals', ['workingDays', 'workingHours', ...FACT_FIELDS]);
    totals = readFact(r, t, 'totals', undefined);
    if (t.workingDays !== undefined) totals.workingDays = r.integer(t.workingDays, 'totals.workingDays', 0, 366);
    if (t.workingHours !== undefined) totals.workingHours = r.integer(t.workingHours, 'totals.workingHours', 0, 366 * 24);
  }
  const notes = r.optionalArray(o.notes, 'notes').map((n, i) => r.string(n, join('notes', i)));
  const result: CalendarYear = {
    country: 'RU',
    year,
    provisional: r.boolean(o.provisional, 'provisional', false),
    sources: readSources(r, o.sources, 'sources', federal),
    holidays,
    transfers,
    workingWeekends,
    shortened,
    nonWorking,
    notes,
  };
  if (region !== undefined) result.region = region;
  if (totals !== undefined) result.totals = totals;
  noDuplicates(r, result);
  return result;
}

function noDuplicates(r: Reader, y: CalendarYear): void {
  const check = (list: ReadonlyArray<{ date: string }>, field: string) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.date)) r.fail(join(join(field, i), 'date'), `${e.date} is listed twice`);
      seen.add(e.date);
    });
  };
  check(y.holidays, 'holidays');
  check(y.workingWeekends, 'workingWeekends');
  check(y.shortened, 'shortened');
  check(
    y.transfers.map((t) => ({ date: t.from })),
    'transfers(from)',
  );
  check(
    y.transfers.map((t) => ({ date: t.to })),
    'transfers(to)',
  );
}

const YEAR_FIELDS = [
  'country',
  'region',
  'year',
  'provisional',
  'sources',
  'holidays',
  'transfers',
  'workingWeekends',
  'shortened',
  'nonWorking',
  'totals',
  'notes',
] as const;

/**
 * Reads one year of the calendar from JSON (a shipped file or a published correction) and checks it. A federal year
 * (no `region`) is also checked on its own facts (see `validateYears`); a regional year is checked when it is
 * combined with its federal year in `buildCalendar`. `where` prefixes error fields (e.g. the file name).
 */
export function parseCalendarYear(json: unknown, where = ''): CalendarYear {
  const r = new Reader(where);
  const o = r.object(json, '', YEAR_FIELDS);
  if (o.country !== 'RU') r.fail('country', 'must be "RU"');
  const year = r.integer(o.year, 'year', 1992, 2100);
  let region: string | undefined;
  if (o.region !== undefined) {
    region = r.string(o.region, 'region');
    if (!REGION_CODE.test(region)) r.fail('region', `must be an ISO 3166-2 code such as "RU-TA": ${JSON.stringify(region)}`);
  }
  const parsed = readYearBody(r, o, year, region);
  if (region === undefined) validateYears(parsed, undefined, where);
  return parsed;
}

/**
 * Reads a regional overlay file: `{ region, name, sources, years: [{ year, holidays, shortened, … }] }`. Each entry
 * of `years` has the shape of a `CalendarYear` without `country`/`region` (they come from the file).
 */
export function parseRegionalOverlay(json: unknown, where = ''): RegionalOverlay {
  const r = new Reader(where);
  const o = r.object(json, '', ['region', 'name', 'sources', 'years']);
  const region = r.string(o.region, 'region');
  if (!REGION_CODE.test(region)) r.fail('region', `must be an ISO 3166-2 code such as "RU-TA": ${JSON.stringify(region)}`);
  const name = r.string(o.name, 'name');
  const sources = readSources(r, o.sources, 'sources', true);
  const seen = new Set<number>();
  const years = r.array(o.years, 'years').map((item, i) => {
    const sub = new Reader(`${where ? `${where}: ` : ''}years[${i}]`);
    const y = sub.object(
      item,
      '',
      YEAR_FIELDS.filter((f) => f !== 'country' && f !== 'region'),
    );
    const year = sub.integer(y.year, 'year', 1992, 2100);
    if (seen.has(year)) sub.fail('year', `${year} is listed twice`);
    seen.add(year);
    return readYearBody(sub, y, year, region);
  });
  return { region, name, sources, years };
}

// ---------------------------------------------------------------------------------------------------------------
// Resolution of one year (federal + optional regional overlay) into per-day state, with the cross-checks

/** Per-day bits. */
export const DAY_WORKING = 1;
export const DAY_SHORTENED = 2;
export const DAY_HOLIDAY = 4;
export const DAY_TRANSFERRED_OFF = 8;
export const DAY_WORKING_WEEKEND = 16;
export const DAY_EXTRAORDINARY_OFF = 32;

export interface ResolvedYear {
  year: number;
  firstDay: DayNumber;
  /** One byte of `DAY_*` bits per day of the year. */
  flags: Uint8Array;
  /** The ISO weekday whose office hours apply (a working Saturday works as the weekday whose day off it gave). */
  scheduleAs: Uint8Array;
  /** Human-readable reasons for the days that are not plain working days or plain weekends. */
  reasons: Map<DayNumber, string[]>;
  /** Working days and hours (40-hour week) at layer 4, i.e. before extraordinary non-working days. */
  norm: { workingDays: number; workingHours: number };
}

/**
 * Combines a federal year and an optional regional year, checks the facts against each other and returns the
 * per-day state. Throws `CalendarDataError` naming the document and field of the first contradiction.
 */
export function resolveYear(federal: CalendarYear, regional?: CalendarYear, where = ''): ResolvedYear {
  return validateYears(federal, regional, where);
}

function validateYears(federal: CalendarYear, regional: CalendarYear | undefined, where: string): ResolvedYear {
  const year = federal.year;
  if (regional && regional.year !== year)
    throw new CalendarDataError(`${where}: year`, `overlay year ${regional.year} ≠ ${year}`);
  const firstDay = dayFromCivil(year, 1, 1);
  const length = dayFromCivil(year + 1, 1, 1) - firstDay;
  const flags = new Uint8Array(length);
  const scheduleAs = new Uint8Array(length);
  const reasons = new Map<DayNumber, string[]>();
  const note = (day: DayNumber, text: string) => {
    const list = reasons.get(day);
    if (list) list.push(text);
    else reasons.set(day, [text]);
  };
  for (let i = 0; i < length; i++) {
    const wd = isoWeekday(firstDay + i);
    flags[i] = wd <= 5 ? DAY_WORKING : 0;
    scheduleAs[i] = wd;
  }
  const docs: Array<{ doc: CalendarYear; label: string }> = [{ doc: federal, label: where || `calendar ${year}` }];
  if (regional) docs.push({ doc: regional, label: `${where || `calendar ${year}`} (${regional.region})` });
  const idx = (d: IsoDate) => (tryParseIsoDate(d) as number) - firstDay;
  const fail = (label: string, field: string, reason: string): never => {
    throw new CalendarDataError(`${label}: ${field}`, reason);
  };

  // Statutory holidays must all be present in a federal year.
  const federalHolidays = new Set(federal.holidays.map((h) => h.date));
  for (const [m, d, name] of TK_112_HOLIDAYS) {
    const date = formatIsoDate(dayFromCivil(year, m, d));
    if (!federalHolidays.has(date)) fail(docs[0]!.label, 'holidays', `${date} (${name}, ТК РФ ст. 112 ч. 1) is missing`);
  }

  // Layer 2: holidays.
  for (const { doc, label } of docs) {
    doc.holidays.forEach((h, i) => {
      const k = idx(h.date);
      if (flags[k]! & DAY_HOLIDAY && doc === regional)
        fail(label, `holidays[${i}].date`, `${h.date} is already a federal holiday`);
      flags[k] = (flags[k]! | DAY_HOLIDAY) & ~DAY_WORKING;
      note(firstDay + k, `${h.name} (${h.source})`);
    });
  }
  const isHoliday = (k: number) => (flags[k]! & DAY_HOLIDAY) !== 0;
  const weekdayOf = (k: number) => isoWeekday(firstDay + k);

  // Layer 3: transfers.
  const targets = new Set<number>();
  const decreeFromPlain = new Set<number>();
  for (const { doc, label } of docs) {
    doc.transfers.forEach((t, i) => {
      const f = `transfers[${i}]`;
      const from = idx(t.from);
      const to = idx(t.to);
      if (weekdayOf(from) < 6) fail(label, `${f}.from`, `${t.from} is a weekday; only a Saturday or Sunday day off can be moved`);
      if (weekdayOf(to) >= 6) fail(label, `${f}.to`, `${t.to} is a Saturday or Sunday, already a day off`);
      if (isHoliday(to)) fail(label, `${f}.to`, `${t.to} is a holiday, already a day off`);
      if (targets.has(to)) fail(label, `${f}.to`, `${t.to} already receives another day off`);
      if (t.basis === 'statutory') {
        if (!isHoliday(from))
          fail(label, `${f}.from`, `${t.from} is not a holiday; ст. 112 ч. 2 moves only holidays on a weekend`);
        const c = tryParseIsoDate(t.from)!;
        const md = formatIsoDate(c).slice(5);
        if (md >= '01-01' && md <= '01-08')
          fail(label, `${f}.basis`, `${t.from}: ст. 112 ч. 2 does not apply to 1–8 January; such days are moved by decree`);
        let next = from + 1;
        while (next < length && (weekdayOf(next) >= 6 || isHoliday(next))) next++;
        if (next !== to)
          fail(
            label,
            `${f}.to`,
            `ст. 112 ч. 2 moves ${t.from} to the next working day, ${formatIsoDate(firstDay + next)}, not ${t.to}`,
          );
      } else if (!isHoliday(from)) {
        decreeFromPlain.add(from);
      }
      targets.add(to);
      flags[to] = (flags[to]! | DAY_TRANSFERRED_OFF) & ~DAY_WORKING;
      note(firstDay + to, `Перенесённый выходной с ${formatRu(t.from)} (${t.source})`);
      if (!isHoliday(from)) {
        flags[from] = flags[from]! | DAY_WORKING | DAY_WORKING_WEEKEND;
        scheduleAs[from] = weekdayOf(to);
        note(firstDay + from, `Рабочий день: выходной перенесён на ${formatRu(t.to)} (${t.source})`);
      }
    });
  }
  // Transfers out of one document may not share a `from` with another's.
  const froms = new Map<number, string>();
  for (const { doc, label } of docs)
    doc.transfers.forEach((t, i) => {
      const k = idx(t.from);
      if (froms.has(k)) fail(label, `transfers[${i}].from`, `${t.from} is moved twice`);
      froms.set(k, t.from);
    });
  // Working weekends ↔ decree transfers of plain weekend days.
  const listedWorkingWeekends = new Set<number>();
  for (const { doc, label } of docs)
    doc.workingWeekends.forEach((w, i) => {
      const k = idx(w.date);
      if (weekdayOf(k) < 6) fail(label, `workingWeekends[${i}].date`, `${w.date} is not a Saturday or Sunday`);
      if (isHoliday(k)) fail(label, `workingWeekends[${i}].date`, `${w.date} is a holiday`);
      if (!decreeFromPlain.has(k))
        fail(label, `workingWeekends[${i}].date`, `${w.date} is a working weekend day but no decree transfer moves its day off`);
      listedWorkingWeekends.add(k);
    });
  for (const k of decreeFromPlain)
    if (!listedWorkingWeekends.has(k))
      fail(
        docs[0]!.label,
        'workingWeekends',
        `${formatIsoDate(firstDay + k)} becomes a working day by a transfer but is not listed`,
      );
  // Federal: every holiday on a weekend outside 1–8 January is moved (ст. 112 ч. 2 or a decree).
  federal.holidays.forEach((h, i) => {
    const k = idx(h.date);
    const md = h.date.slice(5);
    if (weekdayOf(k) >= 6 && !(md >= '01-01' && md <= '01-08') && !froms.has(k))
      fail(docs[0]!.label, `holidays[${i}]`, `${h.date} falls on a weekend and is not moved (ТК РФ ст. 112 ч. 2)`);
  });

  // Layer 4: shortened days.
  for (const { doc, label } of docs)
    doc.shortened.forEach((s, i) => {
      const k = idx(s.date);
      if (!(flags[k]! & DAY_WORKING))
        fail(label, `shortened[${i}].date`, `${s.date} is a day off; a shortened day must be a working day`);
      if (flags[k]! & DAY_SHORTENED) fail(label, `shortened[${i}].date`, `${s.date} is already shortened`);
      flags[k] = flags[k]! | DAY_SHORTENED;
      note(firstDay + k, `Предпраздничный день, на 1 час короче (${s.source})`);
    });
  let workingDays = 0;
  let workingHours = 0;
  for (let i = 0; i < length; i++) {
    if (flags[i]! & DAY_WORKING) {
      workingDays++;
      workingHours += flags[i]! & DAY_SHORTENED ? 7 : 8;
    }
  }
  const norm = { workingDays, workingHours };
  // The federal totals describe the federal calendar; with an overlay only the overlay's totals apply.
  for (const { doc, label } of regional ? docs.slice(1) : docs) {
    const t = doc.totals;
    if (!t) continue;
    if (t.workingDays !== undefined && t.workingDays !== workingDays)
      fail(label, 'totals.workingDays', `the data gives ${workingDays} working days, the published figure is ${t.workingDays}`);
    if (t.workingHours !== undefined && t.workingHours !== workingHours)
      fail(label, 'totals.workingHours', `the data gives ${workingHours} hours, the published figure is ${t.workingHours}`);
  }

  // Layer 5: extraordinary non-working days.
  for (const { doc } of docs)
    for (const p of doc.nonWorking) {
      for (let k = idx(p.from); k <= idx(p.to); k++) {
        if (flags[k]! & DAY_WORKING) note(firstDay + k, `Нерабочий день: ${p.name} (${p.source})`);
        flags[k] = (flags[k]! | DAY_EXTRAORDINARY_OFF) & ~(DAY_WORKING | DAY_SHORTENED);
      }
    }
  return { year, firstDay, flags, scheduleAs, reasons, norm };
}

function formatRu(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
