import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';

const LocalDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (YYYY-MM-DD, local date, included)` });

export const SummaryExportParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  format: StringEnum(['csv', 'xlsx'] as const),
});

/** The dashboard's own query (analytics SummaryQuery). */
export const SummaryExportQuery = Type.Object(
  {
    from: LocalDate('first day'),
    to: LocalDate('last day'),
    compareFrom: Type.Optional(LocalDate('first day of the comparison period; default: as long, just before')),
    compareTo: Type.Optional(LocalDate('last day of the comparison period')),
  },
  { additionalProperties: false },
);

export const ReportParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  year: Type.Integer({ minimum: 1000, maximum: 9999 }),
  format: StringEnum(['docx', 'pdf'] as const),
});

export const OpenDataParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$' }),
  format: StringEnum(['csv', 'json'] as const),
});

export const OpenDataQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 1000, maximum: 9999, description: 'default: the current year' })) },
  { additionalProperties: false },
);

export const FileResponse = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the file' });
export const StreamResponse = Type.Unsafe<import('node:stream').Readable>({
  type: 'string',
  description: 'CSV, or JSON: { version, title, municipality, year, generatedAt, source, csv, note, fields, cases }',
});
