import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { MEDIA_TYPES, renderDocx, renderPdf } from '../../../core/documents/index.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { readSummary } from '../../analytics/index.ts';
import type { CalendarService } from '../../calendar/index.ts';
import { findMunicipality } from '../exports.repository.ts';
import { feedbackReport, reportFileName } from '../feedback-report.ts';
import type { Summary } from '../summary-tables.ts';
import type { FileOut } from './summary-export.ts';

export const REPORT_FIRST_YEAR = 2000;

/** Today's local date (YYYY-MM-DD) in a zone. */
const localToday = (now: Date, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/**
 * The annual feedback report of a municipality as DOCX or PDF: the year's figures from the analytics summary (the
 * current year up to today, marked «неполный год»). Who may: as for the municipal dashboard (its heads and
 * administrators, the regional roles) — the analytics module decides (401 / 404 / 403).
 */
export async function feedbackReportFile(
  db: Db,
  ctx: CommandContext,
  calendars: CalendarService,
  municipalityId: number,
  year: number,
  format: 'docx' | 'pdf',
): Promise<FileOut> {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to get the report');
  const m = await findMunicipality(db, municipalityId);
  const zone = m?.time_zone ?? 'UTC';
  const today = localToday(ctx.now, zone);
  const current = Number(today.slice(0, 4));
  if (year < REPORT_FIRST_YEAR || year > current) {
    throw invalid('year', `the report covers a year from ${REPORT_FIRST_YEAR} to ${current}`);
  }
  const to = year === current ? today : `${year}-12-31`;
  const summary: Summary = await readSummary(db, ctx, calendars, municipalityId, { from: `${year}-01-01`, to });
  // The report's monthly table keeps to the year (the dashboard's trend is the 12 months up to `to`).
  const inYear = { ...summary, trend: summary.trend.filter((t) => t.month.startsWith(`${year}-`)) };
  const spec = feedbackReport(inYear, { year, generatedAt: ctx.now });
  const body = format === 'docx' ? await renderDocx(spec) : await renderPdf(spec);
  return { fileName: reportFileName(summary, year, format), contentType: MEDIA_TYPES[format], body };
}
