import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { EXCEL_RU, MEDIA_TYPES, tablesToCsv, tablesToXlsx } from '../../../core/documents/index.ts';
import { readSummary } from '../../analytics/index.ts';
import type { CalendarService } from '../../calendar/index.ts';
import { type Summary, summaryTables } from '../summary-tables.ts';

export interface SummaryExportQuery {
  from: string;
  to: string;
  compareFrom?: string | undefined;
  compareTo?: string | undefined;
}

export interface FileOut {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/**
 * The municipal dashboard's tables as CSV (for Russian Excel: BOM, `;`, a section per table) or XLSX (a sheet per
 * table). The analytics module reads the summary and decides who may (401 / 404 / 403 as for the dashboard).
 */
export async function exportSummary(
  db: Db,
  ctx: CommandContext,
  calendars: CalendarService,
  municipalityId: number,
  q: SummaryExportQuery,
  format: 'csv' | 'xlsx',
): Promise<FileOut> {
  const summary: Summary = await readSummary(db, ctx, calendars, municipalityId, q);
  const tables = summaryTables(summary);
  const fileName = `Показатели ${summary.municipality.shortName} ${summary.period.from}—${summary.period.to}.${format}`;
  const body =
    format === 'csv'
      ? Buffer.from(tablesToCsv(tables, EXCEL_RU), 'utf8')
      : await tablesToXlsx(tables, {
          title: `${summary.municipality.name}: показатели обратной связи`,
          creator: 'Отклик',
          created: ctx.now,
        });
  return { fileName, contentType: MEDIA_TYPES[format], body };
}
