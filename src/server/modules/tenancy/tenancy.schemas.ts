import { Type } from 'typebox';
import { MUNICIPALITY_TYPES } from '../../../shared/roles.ts';
import { StringEnum } from '../../core/http/schemas.ts';

export const MunicipalityType = StringEnum(MUNICIPALITY_TYPES);

export const Municipality = Type.Object({
  id: Type.Integer(),
  regionId: Type.Integer(),
  name: Type.String(),
  shortName: Type.String(),
  slug: Type.String(),
  casePrefix: Type.String(),
  type: MunicipalityType,
  typeName: Type.String({ description: 'The type in Russian, e.g. «городской округ»' }),
  oktmo: Type.String(),
  population: Type.Union([Type.Integer(), Type.Null()]),
  timeZone: Type.String({ description: 'IANA time zone, e.g. Asia/Novokuznetsk' }),
  hasBoundary: Type.Boolean(),
  isActive: Type.Boolean(),
});

/** A municipality's boundary: a GeoJSON Feature with a MultiPolygon ([lon, lat], RFC 7946). */
export const BoundaryFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Type.Object({
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
  }),
  properties: Type.Object({
    municipalityId: Type.Integer(),
    name: Type.String(),
    isApproximate: Type.Boolean(),
    placeIds: Type.Array(Type.Integer({ description: 'the places (kind municipality) it is made of' })),
  }),
});

const name = Type.String({ minLength: 2, maxLength: 200 });
const email = Type.String({ format: 'email', maxLength: 254 });
const phone = Type.String({ minLength: 5, maxLength: 40, pattern: '^[0-9+()\\- ]+$' });

export const Department = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Integer(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean(),
});

export const CreateDepartmentBody = Type.Object(
  { name, email: Type.Optional(email), phone: Type.Optional(phone) },
  { additionalProperties: false },
);

export const UpdateDepartmentBody = Type.Object(
  {
    name: Type.Optional(name),
    email: Type.Optional(Type.Union([email, Type.Null()])),
    phone: Type.Optional(Type.Union([phone, Type.Null()])),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const OKTMO = Type.String({ pattern: '^[0-9]{8}([0-9]{3})?$', description: '8 or 11 digits' });
export const TimeZone = Type.String({ minLength: 3, maxLength: 64, description: 'IANA time zone' });

export const CreateMunicipalityBody = Type.Object(
  {
    name,
    shortName: Type.String({ minLength: 2, maxLength: 100 }),
    slug: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }),
    casePrefix: Type.String({ pattern: '^[А-ЯЁA-Z]{2,5}$', description: 'Prefix of case numbers, e.g. КЕМ' }),
    type: MunicipalityType,
    oktmo: OKTMO,
    population: Type.Optional(Type.Integer({ minimum: 0 })),
    timeZone: Type.Optional(TimeZone),
  },
  { additionalProperties: false },
);

export const UpdateMunicipalityBody = Type.Object(
  {
    name: Type.Optional(name),
    shortName: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
    type: Type.Optional(MunicipalityType),
    oktmo: Type.Optional(OKTMO),
    population: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    timeZone: Type.Optional(TimeZone),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
