import { Type } from 'typebox';
import { CaseListQuery } from './cases.schemas.ts';

// The staff map of the queue (issue 5 point 5).

const { limit: _limit, offset: _offset, ...queueFilters } = CaseListQuery.properties;

/** The queue's filters (GET /cases, without paging), a box and optionally one municipality of the caller's. */
export const QueueMapQuery = Type.Object(
  {
    ...queueFilters,
    bbox: Type.Optional(
      Type.String({ maxLength: 200, description: 'minLon,minLat,maxLon,maxLat (WGS 84); the whole scope when absent' }),
    ),
    municipalityId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

// Up to 20,000 markers per answer: no anyOf (the serializer would validate each value to pick a branch).
const NullableInt = Type.Unsafe<number | null>({ type: ['integer', 'null'] });
const NullableStr = Type.Unsafe<string | null>({ type: ['string', 'null'] });

export const QueueMarkerOut = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  status: Type.String({ description: 'the workflow status (registered … answered, closed)' }),
  overdue: Type.Boolean({ description: 'past its deadline and not yet answered' }),
  categoryId: NullableInt,
});

export const QueueMapOut = Type.Object({
  items: Type.Array(QueueMarkerOut),
  /** More cases with a point match than one answer carries (the most urgent are kept): zoom in or narrow. */
  truncated: Type.Boolean(),
  /** The matching cases without a point (a letter with only an address): «без адреса на карте». */
  withoutPoint: Type.Object({
    count: Type.Integer(),
    items: Type.Array(
      Type.Object({
        id: Type.Integer(),
        number: Type.String(),
        status: Type.String(),
        overdue: Type.Boolean(),
        categoryId: NullableInt,
        channel: Type.String(),
        address: NullableStr,
      }),
    ),
  }),
});
