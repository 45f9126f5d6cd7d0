import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';

/*
 * The gazetteer's own entries (issue 6, item 4): streets, settlements and other names a municipality adds, in the
 * import format of gazetteer/csv.ts. Municipalities and districts come from their own tables (tenancy, places).
 *
 *   GET  /monitoring/gazetteer?municipalityId      → 200 { items: GazetteerEntryOut[] }
 *   POST /monitoring/gazetteer/import  ImportBody  → 200 ImportOut; a bad file is 400 with every bad line
 *        (details: [{ field: 'csv', reason: 'Строка 3: …' }]), nothing stored.
 *
 * Who: moderators, heads and administrators, for the municipalities they work for (a line naming another is an
 * error of that line); the region's administrators for all. The pipeline uses new entries from its next batch.
 */

export const GAZETTEER_KINDS = ['municipality', 'settlement', 'district', 'street'] as const;

export const GazetteerQuery = Type.Object(
  { municipalityId: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const GazetteerEntryOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Integer(),
  kind: StringEnum(GAZETTEER_KINDS),
  name: Type.String(),
  aliases: Type.Array(Type.String()),
  strict: Type.Boolean(),
});

export const ImportBody = Type.Object(
  {
    csv: Type.String({
      minLength: 1,
      maxLength: 500_000,
      description: 'kind;name;municipality_slug;aliases[;strict] — one place a line (gazetteer/csv.ts)',
    }),
  },
  { additionalProperties: false },
);

export const ImportOut = Type.Object({
  entries: Type.Integer({ description: 'places in the file' }),
  added: Type.Integer(),
  updated: Type.Integer({ description: 'already there: aliases and strictness replaced' }),
});
