import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { ErrorDetail } from './errors.ts';

// Bodies are validated strictly: no type coercion ("12" is not a number) and unknown fields are an error, not
// silently dropped. Query strings and path params arrive as text, so those are coerced.
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

const strictAjv = makeAjv(false);
const coercingAjv = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
  return ajv.compile(schema as object) as never;
};

const REASONS: Record<string, (e: ErrorObject) => string> = {
  required: () => 'is required',
  additionalProperties: () => 'is not an accepted field',
  type: (e) => `must be ${e.params.type === 'integer' ? 'an integer' : `of type ${e.params.type}`}`,
  format: (e) => (e.params.format === 'email' ? 'must be an e-mail address' : `must be a valid ${e.params.format}`),
  minLength: (e) => `must be at least ${e.params.limit} characters`,
  maxLength: (e) => `must be at most ${e.params.limit} characters`,
  minimum: (e) => `must be ≥ ${e.params.limit}`,
  maximum: (e) => `must be ≤ ${e.params.limit}`,
  enum: (e) => `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`,
  const: (e) => `must be ${JSON.stringify(e.params.allowedValue)}`,
  pattern: () => 'has an invalid format',
  minItems: (e) => `must have at least ${e.params.limit} items`,
  maxItems: (e) => `must have at most ${e.params.limit} items`,
};

/** Ajv's errors → `{ field, reason }` with the field as a dotted path a form can point at. */
export function toDetails(errors: ErrorObject[], part: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // anyOf/oneOf add a summary error on top of the branch errors; the branch errors say more.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const segments = e.instancePath.split('/').filter(Boolean);
    if (e.keyword === 'required') segments.push(String(e.params.missingProperty));
    if (e.keyword === 'additionalProperties') segments.push(String(e.params.additionalProperty));
    const field = segments.length ? segments.join('.') : part;
    const reason = REASONS[e.keyword]?.(e) ?? e.message ?? 'is invalid';
    const key = `${field}|${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ field, reason });
  }
  return details;
}
