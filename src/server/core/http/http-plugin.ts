import helmet from '@fastify/helmet';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../../../shared/errors.ts';
import { CalendarDataError, CalendarRangeError, DeadlineSettingError } from '../time/index.ts';
import { AppError } from './errors.ts';
import { toDetails } from './validation.ts';

/** Fastify's own error codes for bad requests, mapped onto the catalogue. */
/** The time core's typed errors: bad dates and settings are the caller's to fix. */
function fromTimeError(error: unknown): AppError | undefined {
  if (error instanceof CalendarRangeError) {
    return new AppError('CALENDAR_RANGE', error.message, [
      { field: 'year', reason: `outside ${error.firstYear}–${error.lastYear}` },
    ]);
  }
  if (error instanceof DeadlineSettingError || error instanceof CalendarDataError) {
    return new AppError('VALIDATION_FAILED', error.message, [{ field: error.field, reason: error.reason }]);
  }
  return undefined;
}

function fromFastifyError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_JSON', 'The request body is not valid JSON', [{ field: 'body', reason: error.message }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('EMPTY_BODY', 'The request has Content-Type application/json but an empty body');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new AppError('MALFORMED_JSON', 'The request body is not valid JSON', [{ field: 'body', reason: error.message }]);
  }
  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const details = toDetails(error.validation as never, part);
    const first = details[0];
    return new AppError('VALIDATION_FAILED', first ? `${first.field}: ${first.reason}` : 'Invalid request', details);
  }
  if (error.statusCode === 429) return new AppError('RATE_LIMITED', 'Too many requests; try again later');
  if (error.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (error.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', error.message);
  }
  return undefined;
}

function send(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, requestId: String(request.id) },
  };
  if (error.details?.length) body.error.details = error.details;
  if (error.headers) reply.headers(error.headers);
  return reply.status(error.statusCode).type('application/json; charset=utf-8').send(body);
}

export const httpPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      // The SPA ships everything it needs (152-ФЗ/23-ФЗ: no foreign CDNs); Swagger UI needs inline styles.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    });

    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
      if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
        // Responses may carry personal data (ASVS 14.3.2): never cached by a browser or proxy.
        reply.header('cache-control', 'no-store');
      }
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const appError = error instanceof AppError ? error : (fromTimeError(error) ?? fromFastifyError(error));
      if (appError) {
        if (appError.statusCode >= 500) request.log.error({ err: error }, appError.message);
        else request.log.info({ code: appError.code }, appError.message);
        return send(reply, request, appError);
      }
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, request, new AppError('INTERNAL', 'Internal error; the request id identifies it in the logs'));
    });

    app.setNotFoundHandler((request, reply) => {
      send(reply, request, new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'otklik-http' },
);
