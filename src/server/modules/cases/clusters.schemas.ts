import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';
import { CaseSummaryOut } from './cases.schemas.ts';
import { MERGE_MAX } from './cluster-rules.ts';

export const SimilarBody = Type.Object(
  {
    municipalityId: Type.Integer({ minimum: 1 }),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    text: Type.String({ minLength: 1, maxLength: 20000 }),
    email: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 254,
        description: 'staff registering on an applicant’s behalf: finds that applicant’s open cases (ignored for residents)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SimilarOut = Type.Object({
  items: Type.Array(
    Type.Intersect([
      CaseSummaryOut,
      Type.Object({
        score: Type.Number({ description: 'similarity of the texts, 0–1 (pg_trgm word similarity, taken both ways)' }),
        reason: StringEnum(['same_applicant', 'similar_text'] as const),
      }),
    ]),
  ),
  hiddenCount: Type.Integer({
    description: 'similar open cases of other people that the caller may not see (a resident); 0 for staff',
  }),
});

export const MergeBody = Type.Object(
  { caseIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MERGE_MAX }) },
  { additionalProperties: false },
);
