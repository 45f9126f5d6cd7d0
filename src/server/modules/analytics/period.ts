import { invalid } from '../../core/http/errors.ts';
import { dayFromCivil, formatIsoDate, tryParseIsoDate } from '../../core/time/index.ts';
import type { FigureKey } from './analytics.schemas.ts';

/** Local dates, both included, in the municipality's zone. */
export interface Period {
  from: string;
  to: string;
}

/** The longest period asked for at once (five years): a longer one is a mistake, not a report. */
export const MAX_PERIOD_DAYS = 5 * 366;

/** Checks a pair of dates (400 naming the field); `fields` name them as the caller sent them. */
export function parsePeriod(from: string, to: string, fields: [string, string] = ['from', 'to']): Period {
  const a = tryParseIsoDate(from);
  if (a === undefined) throw invalid(fields[0], 'not a date YYYY-MM-DD');
  const b = tryParseIsoDate(to);
  if (b === undefined) throw invalid(fields[1], 'not a date YYYY-MM-DD');
  if (b < a) throw invalid(fields[1], `the period ends before it starts (${from} … ${to})`);
  if (b - a + 1 > MAX_PERIOD_DAYS) throw invalid(fields[1], `a period is at most ${MAX_PERIOD_DAYS} days`);
  return { from: formatIsoDate(a), to: formatIsoDate(b) };
}

/** The period as long as `p` that ends the day before it starts. */
export function previousPeriod(p: Period): Period {
  const a = tryParseIsoDate(p.from) as number;
  const b = tryParseIsoDate(p.to) as number;
  return { from: formatIsoDate(a - (b - a + 1)), to: formatIsoDate(a - 1) };
}

/** The 12 months ending with the month of `to`: their YYYY-MM and the first and last day. */
export function trendMonths(to: string): { months: string[]; from: string; to: string } {
  const [y, m] = to.split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const k = y * 12 + (m - 1) - i;
    months.push(`${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
  }
  const first = months[0] as string;
  const [fy, fm] = first.split('-').map(Number) as [number, number];
  const next = y * 12 + m; // the month after `to`'s, as a month count
  const last = dayFromCivil(Math.floor(next / 12), (next % 12) + 1, 1) - 1;
  return { months, from: formatIsoDate(dayFromCivil(fy, fm, 1)), to: formatIsoDate(last) };
}

export interface DrillParams {
  municipalityId: number;
  figure: FigureKey;
  period: Period;
  channel?: string;
  regime?: string;
  categoryId?: number;
  departmentId?: number;
  districtId?: number;
  executorId?: number;
}

/** The URL of the drill-down behind a figure (GET /api/v1/analytics/drill). */
export function drillUrl(p: DrillParams): string {
  const q = new URLSearchParams({
    municipalityId: String(p.municipalityId),
    figure: p.figure,
    from: p.period.from,
    to: p.period.to,
  });
  for (const k of ['channel', 'regime', 'categoryId', 'departmentId', 'districtId', 'executorId'] as const) {
    if (p[k] !== undefined) q.set(k, String(p[k]));
  }
  return `/api/v1/analytics/drill?${q.toString()}`;
}
