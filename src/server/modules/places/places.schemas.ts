import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';

export const PlaceKindSchema = StringEnum(['municipality', 'district', 'tos'] as const);

export const PlacesQuery = Type.Object(
  {
    municipalityId: Type.Optional(Type.Integer({ minimum: 1 })),
    kind: Type.Optional(PlaceKindSchema),
  },
  { additionalProperties: false },
);

/** A place as a GeoJSON Feature: a MultiPolygon ([lon, lat]) and the properties a map needs. */
export const PlaceFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Type.Object({
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
  }),
  properties: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    kind: PlaceKindSchema,
    code: Type.Union([Type.String(), Type.Null()]),
    municipalityId: Type.Integer(),
    isApproximate: Type.Boolean(),
  }),
});

export const PlacesOut = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(PlaceFeature),
});

export const LocateQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  { additionalProperties: false },
);

const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });
export const LocateOut = Type.Object({
  municipality: Type.Union([Ref, Type.Null()]),
  district: Type.Union([Ref, Type.Null()]),
  onBorder: Type.Boolean(),
});

/**
 * A boundary file: a GeoJSON FeatureCollection (RFC 7946). Its members are checked by the importer, which reports
 * every problem with its feature; foreign members GIS tools write (`name`, `crs`, `bbox`) are allowed here because
 * the body is a file format, not a form.
 */
export const PlacesImportBody = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Unknown(), { minItems: 1 }),
  },
  { additionalProperties: true },
);

export const PlacesImportOut = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Integer(),
  routesRemoved: Type.Integer(),
  kinds: Type.Array(PlaceKindSchema),
});

export const PlaceRoutesBody = Type.Object(
  {
    routes: Type.Array(
      Type.Object(
        {
          categoryId: Type.Integer({ minimum: 1 }),
          placeId: Type.Integer({ minimum: 1 }),
          departmentId: Type.Integer({ minimum: 1 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);

export const PlaceRoutesOut = Type.Object({
  routes: Type.Array(
    Type.Object({
      categoryId: Type.Integer(),
      categoryName: Type.String(),
      placeId: Type.Integer(),
      placeName: Type.String(),
      departmentId: Type.Integer(),
      departmentName: Type.String(),
    }),
  ),
});
