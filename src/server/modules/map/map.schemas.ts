import { Type } from 'typebox';
import { DateTime, StringEnum } from '../../core/http/schemas.ts';
import { MARKER_LAYOUTS, NEARBY_MAX_M } from './map-rules.ts';

const STATES = ['open', 'solved'] as const;
const Nullable = <T extends ReturnType<typeof Type.Integer | typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const MapReportsQuery = Type.Object(
  {
    bbox: Type.String({ maxLength: 200, description: 'minLon,minLat,maxLon,maxLat (WGS 84)' }),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Optional(StringEnum(STATES, { description: 'open, or solved in the last 30 days; both when absent' })),
    municipalityId: Type.Optional(Type.Integer({ minimum: 1 })),
    layout: Type.Optional(
      StringEnum(MARKER_LAYOUTS, {
        description:
          'objects (default): an object per marker; columns: a list per field (id, number, lat, lon, categoryId, ' +
          'solved 1|0, atMs — milliseconds since the epoch), a marker at the same index in each',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * One marker: nothing personal (no applicant, no text). `at`: received (open) or answered (solved). The answer is
 * built as JSON text by the query (map.presenters.ts), so these schemas document it; no serialiser runs over them.
 */
export const MapReportOut = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  categoryId: Type.Unsafe<number | null>({ type: ['integer', 'null'] }),
  status: StringEnum(STATES),
  at: Type.String({ description: 'date-time' }),
});

export const MapReportsOut = Type.Union([
  Type.Object({
    items: Type.Array(MapReportOut),
    /** More reports lie in the box than one answer carries: zoom in. */
    truncated: Type.Boolean(),
  }),
  Type.Object(
    {
      id: Type.Array(Type.Integer()),
      number: Type.Array(Type.String()),
      lat: Type.Array(Type.Number()),
      lon: Type.Array(Type.Number()),
      categoryId: Type.Array(Type.Unsafe<number | null>({ type: ['integer', 'null'] })),
      solved: Type.Array(Type.Integer({ minimum: 0, maximum: 1 }), { description: '1 solved, 0 open' }),
      atMs: Type.Array(Type.Integer(), { description: 'received (open) or answered (solved), ms since the epoch' }),
      truncated: Type.Boolean(),
    },
    { description: 'layout=columns: a marker is the same index in every list' },
  ),
]);

export const NearbyQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    categoryId: Type.Integer({ minimum: 1 }),
    radius: Type.Optional(Type.Integer({ minimum: 1, maximum: NEARBY_MAX_M, description: 'metres, 150 by default' })),
  },
  { additionalProperties: false },
);

export const NearbyOut = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      lat: Type.Number(),
      lon: Type.Number(),
      categoryId: Nullable(Type.Integer()),
      address: Nullable(Type.String()),
      receivedAt: DateTime,
      distance: Type.Integer({ description: 'metres' }),
    }),
  ),
});

export const ReportOut = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  regime: Type.String(),
  municipalityId: Type.Integer(),
  municipalityName: Type.String(),
  categoryId: Nullable(Type.Integer()),
  categoryName: Nullable(Type.String()),
  status: StringEnum(STATES),
  address: Nullable(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  receivedAt: DateTime,
  answeredAt: Nullable(DateTime),
  /** Residents who joined this report. */
  joined: Type.Integer(),
  timeline: Type.Array(Type.Object({ type: Type.String(), at: DateTime })),
  photos: Type.Object({ before: Nullable(Type.String()), after: Nullable(Type.String()) }),
});

export const MapConfigOut = Type.Object({
  /** Tile URL template ({z}/{x}/{y}); null → no tiles, the map draws boundaries and markers on a plain background. */
  tileUrl: Nullable(Type.String()),
  attribution: Nullable(Type.String()),
});

export const JoinOut = Type.Object({
  id: Type.Integer({ description: 'the joiner’s own case' }),
  number: Type.String(),
  primaryId: Type.Integer(),
  primaryNumber: Type.String(),
  joined: Type.Boolean({ description: 'false when the report was answered meanwhile: the case stands on its own' }),
});
