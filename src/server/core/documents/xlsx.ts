import ExcelJS from 'exceljs';
import { columnFor, type DataColumn, type DataTable, isNumeric, widthOf } from './data-table.ts';

/**
 * Number formats by column kind. Numbers are stored as numbers (a share as 0.975 with a percent format), so a
 * formula or a chart over the sheet works; Excel shows them in the reader's regional format.
 */
function numFmt(c: DataColumn): string | undefined {
  const d = c.digits ?? 1;
  const frac = d > 0 ? `.${'0'.repeat(d)}` : '';
  switch (c.kind) {
    case 'integer':
      return '#,##0';
    case 'decimal':
    case 'hours':
      return `#,##0${frac}`;
    case 'percent':
      return `0${frac}%`;
    case 'date':
      return 'dd.mm.yyyy';
    case 'datetime':
      return 'dd.mm.yyyy hh:mm';
    default:
      return undefined;
  }
}

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique in the workbook. */
export function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Лист';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Wall-clock parts of an instant in a zone, as a Date whose UTC fields are them (Excel has no time zones). */
function localDate(d: Date, timeZone: string): Date {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return new Date(Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0));
}

/**
 * One sheet per table: the title in row 1, the header in row 2 (bold, frozen, with a filter), the rows from row 3,
 * the note below. Returns the .xlsx file.
 */
export async function tablesToXlsx(tables: DataTable[], meta: { title?: string; creator?: string; created?: Date } = {}) {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.creator ?? 'Отклик';
  if (meta.title) wb.title = meta.title;
  const created = meta.created ?? new Date();
  wb.created = created;
  wb.modified = created;
  const taken = new Set<string>();
  for (const t of tables) {
    const ws = wb.addWorksheet(sheetName(t.name, taken), { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.columns = t.columns.map((c) => ({ key: c.key, width: Math.max(widthOf(c), Math.min(c.title.length + 2, 40)) }));
    const title = ws.getRow(1);
    title.getCell(1).value = t.title;
    title.font = { bold: true, size: 12 };
    const header = ws.getRow(2);
    t.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.title;
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    t.rows.forEach((r, ri) => {
      const row = ws.getRow(ri + 3);
      t.columns.forEach((column, ci) => {
        const c = columnFor(column, r);
        const v = r[c.key];
        const cell = row.getCell(ci + 1);
        if (v === null || v === undefined) return;
        if (v instanceof Date) cell.value = localDate(v, t.timeZone ?? 'UTC');
        else if (c.kind === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))
          cell.value = new Date(`${v}T00:00:00Z`);
        else if (typeof v === 'boolean') cell.value = v ? 'да' : 'нет';
        else cell.value = v;
        const fmt = numFmt(c);
        if (fmt) cell.numFmt = fmt;
        if (isNumeric(c)) cell.alignment = { horizontal: 'right' };
      });
    });
    if (t.rows.length > 0 || t.columns.length > 0) {
      ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + t.rows.length, column: t.columns.length } };
    }
    if (t.note) {
      const note = ws.getRow(t.rows.length + 4).getCell(1);
      note.value = t.note;
      note.font = { italic: true };
    }
  }
  if (tables.length === 0) wb.addWorksheet('Пусто');
  return Buffer.from(await wb.xlsx.writeBuffer());
}
