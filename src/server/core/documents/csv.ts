// CSV (RFC 4180: CRLF line ends, a field with the separator, a quote or a line break in double quotes, a quote
// doubled) in two dialects:
// - EXCEL_RU, for people opening the file in Excel with Russian regional settings: UTF-8 with a byte order mark
//   (without it Excel reads the file as Windows-1251 and shows mojibake), `;` as the separator (Russian Excel's list
//   separator, because the comma is the decimal sign), decimal commas, dd.mm.yyyy dates, shares as «97,5%» (Excel
//   reads them as percentages), and text that Excel would run as a formula (=, +, -, @, tab, CR first) prefixed with
//   an apostrophe (OWASP «CSV Injection»).
// - OPEN_DATA, for programs: UTF-8 without a BOM, `,` separator, numbers with a dot, ISO 8601 dates, values as they are.
import { columnFor, type DataColumn, type DataTable, type DataValue, isoDate, ruDate, ruDateTime } from './data-table.ts';

export interface CsvDialect {
  separator: ';' | ',';
  bom: boolean;
  /** Russian number and date formats, guarded formulas (for Excel). */
  excel: boolean;
}

export const EXCEL_RU: CsvDialect = { separator: ';', bom: true, excel: true };
export const OPEN_DATA: CsvDialect = { separator: ',', bom: false, excel: false };
export const BOM = '\ufeff';
export const CRLF = '\r\n';

/** One field, quoted when it holds the separator, a quote, a line break or spaces at its ends. */
export function csvField(value: string, dialect: CsvDialect): string {
  let v = value;
  if (dialect.excel && /^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return v.includes(dialect.separator) || /["\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One record with its CRLF. */
export const csvLine = (fields: string[], dialect: CsvDialect): string =>
  fields.map((f) => csvField(f, dialect)).join(dialect.separator) + CRLF;

/** A value as the dialect writes it (no value → an empty field). */
export function csvValue(value: DataValue, column: DataColumn, dialect: CsvDialect, timeZone = 'UTC'): string {
  if (value === null || value === undefined) return '';
  const kind = column.kind ?? 'text';
  const digits = column.digits ?? 1;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    if (!dialect.excel) return String(value);
    const comma = (n: number, d: number) => n.toFixed(d).replace('.', ',');
    switch (kind) {
      case 'integer':
        return String(Math.round(value));
      case 'percent':
        return `${comma(value * 100, digits)}%`;
      case 'decimal':
      case 'hours':
        return comma(value, digits);
      default:
        return String(value).replace('.', ',');
    }
  }
  if (typeof value === 'boolean') return dialect.excel ? (value ? 'да' : 'нет') : String(value);
  if (value instanceof Date) {
    if (!dialect.excel) return kind === 'date' ? isoDate(value, timeZone) : value.toISOString();
    return kind === 'date' ? ruDate(value, timeZone) : ruDateTime(value, timeZone);
  }
  if (dialect.excel && kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.split('-').reverse().join('.');
  return value;
}

/**
 * Tables as one CSV: each a section of its title, the header row, the rows and its note, with an empty line between
 * sections. One table without a title line when `titles` is false (a plain machine-readable file).
 */
export function tablesToCsv(tables: DataTable[], dialect: CsvDialect = EXCEL_RU, options: { titles?: boolean } = {}): string {
  const titles = options.titles ?? true;
  const out: string[] = dialect.bom ? [BOM] : [];
  tables.forEach((t, i) => {
    if (i > 0) out.push(CRLF);
    if (titles) out.push(csvLine([t.title], dialect));
    out.push(
      csvLine(
        t.columns.map((c) => c.title),
        dialect,
      ),
    );
    for (const row of t.rows)
      out.push(
        csvLine(
          t.columns.map((c) => csvValue(row[c.key], columnFor(c, row), dialect, t.timeZone)),
          dialect,
        ),
      );
    if (titles && t.note) out.push(csvLine([t.note], dialect));
  });
  return out.join('');
}
