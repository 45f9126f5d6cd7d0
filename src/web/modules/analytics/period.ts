import { MONTHS_GENITIVE } from '../../../shared/months.ts';
import type { Period } from './analytics.api.ts';

// The dashboards' periods: local dates (YYYY-MM-DD, both included) in the municipality's zone, as the server reads
// them. A period "to date" (this month, quarter, year) is compared with the same stretch of the one before — the
// 1st to the 25th of November against the 1st to the 25th of October — so a month half gone is not set against a
// whole one.

export const PRESETS = ['month', 'last-month', 'quarter', 'year', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_NAMES: Record<Preset, string> = {
  month: 'Этот месяц',
  'last-month': 'Прошлый месяц',
  quarter: 'Квартал',
  year: 'Год',
  custom: 'Свой период',
};

export interface Range {
  period: Period;
  compare: Period;
}

interface Ymd {
  y: number;
  m: number; // 1…12
  d: number;
}

const DAY_MS = 86_400_000;

const pad = (n: number, len = 2) => String(n).padStart(len, '0');
const iso = ({ y, m, d }: Ymd) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** `YYYY-MM-DD` → its parts, or null when it is not a real date. */
export function parseDate(s: string): Ymd | null {
  const r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!r) return null;
  const [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return { y, m, d };
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const dayNumber = ({ y, m, d }: Ymd) => Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
const fromDayNumber = (n: number): Ymd => {
  const t = new Date(n * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};
/** The month `k` months after (y, m): its year and month. */
const monthPlus = (y: number, m: number, k: number) => {
  const n = y * 12 + (m - 1) + k;
  return { y: Math.floor(n / 12), m: (n % 12) + 1 };
};
/** The same day of another month, the month's last day when it has fewer days (31 March → 28 February). */
const clampDay = (y: number, m: number, d: number): Ymd => ({ y, m, d: Math.min(d, daysInMonth(y, m)) });

/** The period as long as `p`, ending the day before it starts (the server's default comparison). */
export function previousPeriod(p: Period): Period {
  const a = parseDate(p.from);
  const b = parseDate(p.to);
  if (!a || !b) return p;
  const length = dayNumber(b) - dayNumber(a) + 1;
  return { from: iso(fromDayNumber(dayNumber(a) - length)), to: iso(fromDayNumber(dayNumber(a) - 1)) };
}

/**
 * The period of a preset on `today` (the municipality's local date) and what it is compared with. `custom` takes
 * the dates given and compares with the period as long just before; a custom period with bad dates is null.
 */
export function rangeOf(preset: Preset, today: string, custom?: Partial<Period>): Range | null {
  const t = parseDate(today);
  if (!t) return null;
  switch (preset) {
    case 'month': {
      const prev = monthPlus(t.y, t.m, -1);
      return {
        period: { from: iso({ y: t.y, m: t.m, d: 1 }), to: today },
        compare: { from: iso({ ...prev, d: 1 }), to: iso(clampDay(prev.y, prev.m, t.d)) },
      };
    }
    case 'last-month': {
      const last = monthPlus(t.y, t.m, -1);
      const before = monthPlus(t.y, t.m, -2);
      return {
        period: { from: iso({ ...last, d: 1 }), to: iso({ ...last, d: daysInMonth(last.y, last.m) }) },
        compare: { from: iso({ ...before, d: 1 }), to: iso({ ...before, d: daysInMonth(before.y, before.m) }) },
      };
    }
    case 'quarter': {
      const qm = t.m - ((t.m - 1) % 3); // the quarter's first month
      const start: Ymd = { y: t.y, m: qm, d: 1 };
      const prev = monthPlus(t.y, qm, -3);
      const prevStart: Ymd = { ...prev, d: 1 };
      // The same stretch of the previous quarter: as many whole months in, the same day (clamped) of that month.
      const into = monthPlus(prev.y, prev.m, t.m - qm);
      return {
        period: { from: iso(start), to: today },
        compare: { from: iso(prevStart), to: iso(clampDay(into.y, into.m, t.d)) },
      };
    }
    case 'year':
      return {
        period: { from: iso({ y: t.y, m: 1, d: 1 }), to: today },
        compare: { from: iso({ y: t.y - 1, m: 1, d: 1 }), to: iso(clampDay(t.y - 1, t.m, t.d)) },
      };
    case 'custom': {
      const a = parseDate(custom?.from ?? '');
      const b = parseDate(custom?.to ?? '');
      if (!a || !b || dayNumber(b) < dayNumber(a)) return null;
      const period = { from: iso(a), to: iso(b) };
      return { period, compare: previousPeriod(period) };
    }
  }
}

const MONTHS_SHORT = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
const MONTHS_NOMINATIVE = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];

/** «1–25 ноября 2026», «1 октября – 25 ноября 2026», «15 декабря 2025 – 10 января 2026», «3 мая 2026». */
export function formatPeriod(p: Period): string {
  const a = parseDate(p.from);
  const b = parseDate(p.to);
  if (!a || !b) return `${p.from} – ${p.to}`;
  const month = (x: Ymd) => MONTHS_GENITIVE[x.m - 1];
  if (a.y === b.y && a.m === b.m) {
    return a.d === b.d ? `${a.d} ${month(a)} ${a.y}` : `${a.d}–${b.d} ${month(b)} ${b.y}`;
  }
  if (a.y === b.y) return `${a.d} ${month(a)} – ${b.d} ${month(b)} ${b.y}`;
  return `${a.d} ${month(a)} ${a.y} – ${b.d} ${month(b)} ${b.y}`;
}

/** «2026-11» → «ноя 2026» (chart axes); with `long`, «ноябрь 2026». */
export function formatMonth(month: string, long = false): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${(long ? MONTHS_NOMINATIVE : MONTHS_SHORT)[m - 1] ?? month} ${y}`;
}

/** `YYYY-MM-DD` → «25.11.2026». */
export function formatDay(date: string): string {
  const a = parseDate(date);
  return a ? `${pad(a.d)}.${pad(a.m)}.${a.y}` : date;
}
