import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';
import { ATTRIBUTE_DATATYPES } from './attributes.ts';

const Code = Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$', description: 'letters, digits, _ and -' });
const Value = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** One question, named as the Open311 service definition names it (camelCase here, snake_case under /open311). */
export const AttributeIn = Type.Object(
  {
    code: Code,
    datatype: StringEnum(ATTRIBUTE_DATATYPES),
    required: Type.Boolean(),
    variable: Type.Optional(Type.Boolean({ description: 'false: information shown to the user, not a question' })),
    description: Type.String({ minLength: 1, maxLength: 1000, description: 'the question' }),
    datatypeDescription: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    order: Type.Optional(Type.Integer({ minimum: 1, description: 'defaults to the position in the list' })),
    values: Type.Optional(Type.Array(Value, { maxItems: 200 })),
  },
  { additionalProperties: false },
);

export const AttributesBody = Type.Object({ items: Type.Array(AttributeIn, { maxItems: 50 }) }, { additionalProperties: false });

export const AttributeOut = Type.Object({
  code: Type.String(),
  datatype: Type.String(),
  required: Type.Boolean(),
  variable: Type.Boolean(),
  description: Type.String(),
  datatypeDescription: Type.Union([Type.String(), Type.Null()]),
  order: Type.Integer(),
  values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
});

const Opt = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export const ServiceBody = Type.Object(
  {
    serviceCode: Type.Optional(Type.Union([Code, Type.Null()], { description: 'null: the category id' })),
    description: Opt(2000),
    keywords: Opt(500),
    group: Opt(200),
  },
  { additionalProperties: false },
);

export const ServiceOut = Type.Object({
  categoryId: Type.Integer(),
  serviceCode: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  keywords: Type.Union([Type.String(), Type.Null()]),
  group: Type.Union([Type.String(), Type.Null()]),
});
