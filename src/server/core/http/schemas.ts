import { Type } from 'typebox';
import { ERROR_CODES } from '../../../shared/errors.ts';

/** The body of every error response; see src/shared/errors.ts for the codes. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ enum: Object.keys(ERROR_CODES) }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  }),
});

export const DateTime = Type.String({ format: 'date-time' });

/** A string that is one of `values`, typed as their union (TypeBox's Union of mapped Literals loses the literals). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** The error responses a route declares, e.g. `errorResponses(400, 401, 403, 404)`: each is an ErrorResponse. */
export function errorResponses<const C extends readonly number[]>(...codes: C): { [K in C[number]]: typeof ErrorResponse } {
  return Object.fromEntries(codes.map((c) => [c, ErrorResponse])) as { [K in C[number]]: typeof ErrorResponse };
}
