/**
 * The one error catalogue: stable codes that clients (web, mobile, integrations) may rely on, each with its
 * HTTP status. Server code throws `AppError(code, message)`; the HTTP layer maps it in one place.
 * Response body: `{ "error": { "code", "message", "details"?, "requestId" } }`.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  EMPTY_BODY: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  TOKEN_INVALID: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A date outside the years the production calendar holds (2020–2027 shipped, more once published). */
  CALENDAR_RANGE: 422,
  /** A monitoring query that does not parse: the details carry its position and the reason in Russian. */
  QUERY_SYNTAX: 422,
  RATE_LIMITED: 429,
  ACCOUNT_LOCKED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  /** The input field, as a dotted path (`roles.0.municipalityId`), or `body` for the whole body. */
  field: string;
  reason: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[]; requestId?: string };
}
