import { ERROR_CODES, type ErrorCode, type ErrorDetail } from '../../../shared/errors.ts';

export { ERROR_CODES, type ErrorCode, type ErrorDetail } from '../../../shared/errors.ts';

/** A failure with a stable code and a message a person can act on. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_CODES[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError('FORBIDDEN', message);
export const invalid = (field: string, reason: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${reason}`, [{ field, reason }]);
