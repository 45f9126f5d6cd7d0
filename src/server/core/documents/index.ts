// core/documents: a small document model rendered to DOCX and PDF, tables of data as CSV and XLSX (see README.md).
export { BOM, CRLF, type CsvDialect, csvField, csvLine, csvValue, EXCEL_RU, OPEN_DATA, tablesToCsv } from './csv.ts';
export {
  type ColumnKind,
  columnFor,
  type DataColumn,
  type DataRow,
  type DataTable,
  type DataValue,
  displayValue,
  documentTable,
  isoDate,
  ruDate,
  ruDateTime,
} from './data-table.ts';
export { DOCX_FONT, DOCX_STYLES, renderDocx } from './docx.ts';
export { documentFonts } from './fonts.ts';
export { contentDisposition, type FileFormat, MEDIA_TYPES } from './http.ts';
export * from './model.ts';
export { renderPdf } from './pdf.ts';
export { formatDecimal, formatHours, formatInt, formatPercent, NBSP, typeset } from './typography.ts';
export { sheetName, tablesToXlsx } from './xlsx.ts';
