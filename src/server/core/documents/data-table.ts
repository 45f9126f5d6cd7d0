// A table of data (rows of named values with typed columns): the one shape exported to CSV and XLSX, and turned
// into a document table for DOCX and PDF.
import type { Table, TableColumn } from './model.ts';
import { formatDecimal, formatHours, formatInt, formatPercent } from './typography.ts';

/**
 * How a column's values are read and shown: `percent` holds a share 0…1 (shown 97,5 %), `hours` a number of
 * hours, `date` an ISO date `YYYY-MM-DD` (or a Date, shown in the table's zone), `month` `YYYY-MM`.
 */
export const KINDS = ['text', 'integer', 'decimal', 'percent', 'hours', 'date', 'datetime', 'month', 'boolean'] as const;
export type ColumnKind = (typeof KINDS)[number];

export interface DataColumn {
  key: string;
  title: string;
  kind?: ColumnKind;
  /** Digits after the decimal comma for decimal, percent and hours (default 1). */
  digits?: number;
  /** Relative width in a document, and the XLSX column width in characters (default by kind). */
  width?: number;
  /**
   * A column whose rows differ in kind (a table of figures: a count, a share, hours): the key of the row's field
   * holding the kind of this row's value.
   */
  kindFrom?: string;
}

/** The column as it applies to one row (its kind taken from the row when the column says so). */
export function columnFor(column: DataColumn, row: DataRow): DataColumn {
  if (!column.kindFrom) return column;
  const kind = row[column.kindFrom];
  return typeof kind === 'string' && (KINDS as readonly string[]).includes(kind)
    ? { ...column, kind: kind as ColumnKind }
    : column;
}

export type DataValue = string | number | boolean | Date | null | undefined;
export type DataRow = Record<string, DataValue>;

export interface DataTable {
  /** Short name: the XLSX sheet's name (at most 31 characters are kept), the CSV section's title. */
  name: string;
  /** The full title above the table. */
  title: string;
  columns: DataColumn[];
  rows: DataRow[];
  /** A line under the table (a definition, the source, the period). */
  note?: string;
  /** The zone dates and times are shown in (IANA; default UTC). */
  timeZone?: string;
}

/** The string a person reads for a value: Russian number format, dd.mm.yyyy dates, «—» for no value. */
export function displayValue(value: DataValue, column: DataColumn, timeZone = 'UTC'): string {
  if (value === null || value === undefined || value === '') return '—';
  const kind = column.kind ?? 'text';
  const digits = column.digits ?? 1;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '—';
    switch (kind) {
      case 'integer':
        return formatInt(value);
      case 'percent':
        return formatPercent(value, digits);
      case 'hours':
        return formatHours(value, digits);
      case 'decimal':
        return formatDecimal(value, digits);
      default:
        return String(value);
    }
  }
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (value instanceof Date) return kind === 'date' ? ruDate(value, timeZone) : ruDateTime(value, timeZone);
  if (kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.split('-').reverse().join('.');
  if (kind === 'month' && /^\d{4}-\d{2}$/.test(value)) return monthName(value);
  return value;
}

const MONTHS = [
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
const monthName = (ym: string) => `${MONTHS[Number(ym.slice(5, 7)) - 1] ?? ym.slice(5, 7)} ${ym.slice(0, 4)}`;

function parts(d: Date, timeZone: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}
/** dd.mm.yyyy in the zone. */
export function ruDate(d: Date, timeZone = 'UTC'): string {
  const p = parts(d, timeZone);
  return `${p.day}.${p.month}.${p.year}`;
}
/** dd.mm.yyyy hh:mm in the zone. */
export function ruDateTime(d: Date, timeZone = 'UTC'): string {
  const p = parts(d, timeZone);
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}
/** yyyy-mm-dd in the zone (the local calendar date of an instant). */
export function isoDate(d: Date, timeZone = 'UTC'): string {
  const p = parts(d, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

const NUMERIC: readonly ColumnKind[] = ['integer', 'decimal', 'percent', 'hours'];
export const isNumeric = (c: DataColumn) => NUMERIC.includes(c.kind ?? 'text');

const DEFAULT_WIDTH: Record<ColumnKind, number> = {
  text: 30,
  integer: 12,
  decimal: 12,
  percent: 12,
  hours: 12,
  date: 12,
  datetime: 17,
  month: 15,
  boolean: 8,
};
export const widthOf = (c: DataColumn) => c.width ?? DEFAULT_WIDTH[c.kind ?? 'text'];

/** The table as a document table: the titles as the header row, values as a person reads them, numbers right. */
export function documentTable(t: DataTable, options: { size?: number } = {}): Table {
  const columns: TableColumn[] = t.columns.map((c) => ({ width: widthOf(c), align: isNumeric(c) ? 'right' : 'left' }));
  return {
    kind: 'table',
    columns,
    header: [t.columns.map((c) => c.title)],
    rows: t.rows.map((r) => t.columns.map((c) => displayValue(r[c.key], columnFor(c, r), t.timeZone))),
    ...(options.size && { size: options.size }),
  };
}
