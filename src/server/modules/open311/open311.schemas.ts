import { type Static, Type } from 'typebox';

// GeoReport v2 (open311.org GeoReport v2) documents in JSON; the .xml twin of each route sends the same fields as
// text/xml. Names are the spec's, snake_case.
const S = Type.String();
/** Nullable as a type list, not anyOf (a serialiser would try each branch per value; these answers hold 1000 rows). */
const N = <T extends ReturnType<typeof Type.String | typeof Type.Number>>(t: T) =>
  Type.Unsafe<Static<T> | null>({ ...t, type: [t.type as string, 'null'] });
const Q = Type.Optional(Type.String({ maxLength: 20000 }));

export const Format = Type.Union([Type.Literal('json'), Type.Literal('xml')], { description: 'json or xml' });

export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: S }), {
  description: 'GeoReport v2 errors: [{code, description}] (XML: <errors><error>…)',
});

export const DiscoveryOut = Type.Object({
  changeset: S,
  contact: S,
  key_service: S,
  endpoints: Type.Array(Type.Object({ specification: S, url: S, changeset: S, type: S, formats: Type.Array(S) })),
});

export const ServiceOut = Type.Object({
  service_code: S,
  service_name: S,
  description: N(S),
  metadata: Type.Boolean(),
  type: S,
  keywords: N(S),
  group: N(S),
});

export const DefinitionOut = Type.Object({
  service_code: S,
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: S,
      datatype: S,
      required: Type.Boolean(),
      datatype_description: N(S),
      order: Type.Integer(),
      description: S,
      values: Type.Array(Type.Object({ key: S, name: S })),
    }),
  ),
});

export const RequestOut = Type.Object({
  service_request_id: S,
  status: S,
  status_notes: N(S),
  service_name: N(S),
  service_code: N(S),
  description: N(S),
  agency_responsible: N(S),
  service_notice: N(S),
  requested_datetime: S,
  updated_datetime: S,
  expected_datetime: N(S),
  address: N(S),
  address_id: N(S),
  zipcode: N(S),
  lat: N(Type.Number()),
  long: N(Type.Number()),
  media_url: N(S),
});

export const CreatedOut = Type.Array(Type.Object({ service_request_id: S, service_notice: N(S), account_id: Type.Null() }));

export const TokenOut = Type.Array(Type.Object({ service_request_id: S, token: S }));

export const UpdateOut = Type.Object({
  update_id: S,
  service_request_id: S,
  status: S,
  updated_datetime: S,
  description: S,
  media_url: S,
});

export const JurisdictionQuery = Type.Object({ jurisdiction_id: Q, api_key: Q }, { additionalProperties: false });

export const RequestsQuery = Type.Object(
  {
    jurisdiction_id: Q,
    api_key: Q,
    service_request_id: Q,
    service_code: Q,
    start_date: Q,
    end_date: Q,
    status: Q,
    page: Type.Optional(Type.String({ maxLength: 20, description: 'Pagination extension: the page, from 1' })),
    page_size: Type.Optional(Type.String({ maxLength: 20, description: 'Pagination extension: 1 to 1000 (default 1000)' })),
  },
  { additionalProperties: false },
);

export const UpdatesQuery = Type.Object(
  { jurisdiction_id: Q, api_key: Q, start_date: Q, end_date: Q },
  { additionalProperties: false },
);

const F = (max: number) => Type.Optional(Type.String({ maxLength: max }));

/** «POST Service Request», application/x-www-form-urlencoded; `attribute[code]=value`, `attribute[code][]=…` for lists. */
export const RequestForm = Type.Object(
  {
    api_key: F(200),
    jurisdiction_id: F(100),
    service_code: F(100),
    lat: F(40),
    long: F(40),
    address_string: F(1000),
    address_id: F(200),
    email: F(1000),
    device_id: F(200),
    account_id: F(200),
    first_name: F(1000),
    last_name: F(1000),
    phone: F(1000),
    description: F(10000),
    media_url: F(5000),
    attribute: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }),
        Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })]),
      ),
    ),
  },
  { additionalProperties: false },
);
