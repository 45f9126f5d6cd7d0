import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import { postRequest } from './commands/post-request.ts';
import {
  jurisdictionOf,
  readRequest,
  readRequests,
  readServiceDefinition,
  readServices,
  readUpdates,
} from './commands/read-requests.ts';
import { etagOf, noneMatchHits, OPEN311_CACHE_CONTROL } from './http-cache.ts';
import { presentDefinition, presentRequest, presentService, presentUpdates, serviceNotice, xml } from './open311.presenters.ts';
import { findRequestById, latestServiceChange } from './open311.repository.ts';
import {
  CreatedOut,
  DefinitionOut,
  DiscoveryOut,
  Format,
  JurisdictionQuery,
  Open311Errors,
  RequestForm,
  RequestOut,
  RequestsQuery,
  ServiceOut,
  TokenOut,
  UpdateOut,
  UpdatesQuery,
} from './open311.schemas.ts';

type Fmt = 'json' | 'xml';
const CONTENT_TYPE = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' } as const;
const errors = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors };
const tags = ['open311'];

/**
 * The JSON document, or its XML rendering: a string with a text/xml type goes out as it is (Fastify serialises by
 * the response schema only what is not a string), hence the cast for the route's JSON-typed reply.
 */
function send<T>(reply: FastifyReply, format: Fmt, json: T, toXml: (x: T) => string): T {
  reply.type(CONTENT_TYPE[format]);
  return format === 'xml' ? (toXml(json) as unknown as T) : json;
}

/**
 * A GET's public document, serialised once (JSON text or XML) with its ETag and Cache-Control (http-cache.ts); 304
 * without the body when the client's If-None-Match names it. Presenters give every field in the spec's order, so
 * JSON.stringify writes what the response schema documents.
 */
function sendPublic<T>(request: FastifyRequest, reply: FastifyReply, format: Fmt, json: T, toXml: (x: T) => string): T {
  const body = format === 'xml' ? toXml(json) : JSON.stringify(json);
  const etag = etagOf(body);
  reply.header('cache-control', OPEN311_CACHE_CONTROL).header('etag', etag);
  if (noneMatchHits(request.headers['if-none-match'], etag)) {
    reply.code(304);
    return '' as unknown as T;
  }
  reply.type(CONTENT_TYPE[format]);
  return body as unknown as T;
}

const formatOf = (request: FastifyRequest): Fmt => (request.url.split('?')[0]?.endsWith('.xml') ? 'xml' : 'json');

/** Our error as GeoReport v2 «Errors»: the HTTP status, and the same code in the body with a description. */
function describe(error: FastifyError | AppError): { status: number; description: string } {
  if (error instanceof AppError) {
    // The intake names the answers `attributes.<code>`; an Open311 client sent them as `attribute[<code>]`.
    return { status: error.statusCode, description: error.message.replace(/^attributes\.([\w-]+)/, 'attribute[$1]') };
  }
  if (error.validation) {
    const v = error.validation[0];
    const path = (v?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const extra = (v?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const field = extra ?? (path || error.validationContext || 'request');
    const what = extra ? 'is not a GeoReport v2 field here' : (v?.message ?? 'is invalid');
    return { status: 400, description: `${field}: ${what}` };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  return { status, description: status === 500 ? 'General service error: please try again later' : error.message };
}

/** Form-encoded fields; `attribute[code]` and `attribute[code][]` gather into `attribute` (a repeated key: a list). */
export function parseForm(body: string): Record<string, unknown> {
  const plain = new Map<string, string | string[]>();
  const attrs = new Map<string, string | string[]>();
  for (const [k, v] of new URLSearchParams(body)) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(k);
    const target = m ? attrs : plain;
    const key = m ? (m[1] as string) : k;
    const prev = target.get(key);
    if (prev === undefined) target.set(key, m?.[2] ? [v] : v);
    else target.set(key, [...(Array.isArray(prev) ? prev : [prev]), v]);
  }
  const out: Record<string, unknown> = Object.fromEntries(plain);
  if (attrs.size > 0) out.attribute = Object.fromEntries(attrs);
  return out;
}

/** GeoReport v2 under /open311 (discovery) and /open311/v2 (the API), JSON and XML by the extension. */
export const georeportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_r, body, done) => {
      try {
        done(null, parseForm(body as string));
      } catch (e) {
        done(e as Error);
      }
    },
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, description } = describe(error);
    if (status >= 500) request.log.error(error);
    const body = [{ code: status, description }];
    reply.code(status);
    return send(reply, formatOf(request), body, xml.errors);
  });
  const notFoundHere = (request: FastifyRequest) => new AppError('NOT_FOUND', `${request.url.split('?')[0]} not found`);
  app.setNotFoundHandler((request) => {
    throw notFoundHere(request);
  });
  // app.ts serves the web app for every other GET (`/*`); a longer wildcard keeps unknown /open311 URLs spec errors.
  app.all('/*', { schema: { hide: true } }, async (request) => {
    throw notFoundHere(request);
  });

  app.get(
    '/discovery.:format',
    {
      schema: {
        tags,
        summary: 'Open311 service discovery: the GeoReport v2 endpoint, its formats, how to get an API key',
        params: Type.Object({ format: Format }),
        response: { 200: DiscoveryOut, ...errors },
      },
    },
    async (request, reply) => {
      const changed = await latestServiceChange(app.db);
      const changeset = (changed ?? new Date(0)).toISOString();
      const doc = {
        changeset,
        contact: 'Администрация муниципального образования: раздел «Обратная связь» на портале Отклик',
        key_service: 'Ключ API выдаёт администратор муниципального образования (Отклик → Администрирование → Ключи API)',
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${app.config.publicUrl.replace(/\/$/, '')}/open311/v2`,
            changeset,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      };
      return sendPublic(request, reply, request.params.format, doc, xml.discovery);
    },
  );

  app.get(
    '/v2/services.:format',
    {
      schema: {
        tags,
        summary: 'GeoReport v2 service list: the public categories (messages, incidents) of the jurisdiction',
        params: Type.Object({ format: Format }),
        querystring: JurisdictionQuery,
        response: { 200: Type.Array(ServiceOut), ...errors },
      },
    },
    async (request, reply) => {
      const m = await jurisdictionOf(app.db, request.query.jurisdiction_id);
      const items = (await readServices(app.db, m.id)).map((s) => presentService(s.category, s.attributes));
      return sendPublic(request, reply, request.params.format, items, xml.services);
    },
  );

  app.get(
    '/v2/services/:service_code.:format',
    {
      schema: {
        tags,
        summary: 'GeoReport v2 service definition: the category’s questions (attributes)',
        params: Type.Object({ service_code: Type.String({ minLength: 1, maxLength: 100 }), format: Format }),
        querystring: JurisdictionQuery,
        response: { 200: DefinitionOut, ...errors },
      },
    },
    async (request, reply) => {
      const m = await jurisdictionOf(app.db, request.query.jurisdiction_id);
      const d = await readServiceDefinition(app.db, m.id, request.params.service_code);
      return sendPublic(request, reply, request.params.format, presentDefinition(d.category, d.attributes), xml.definition);
    },
  );

  app.post(
    '/v2/requests.:format',
    {
      schema: {
        tags,
        summary: 'GeoReport v2 POST service request (form-encoded, api_key required): a case through the one intake',
        params: Type.Object({ format: Format }),
        body: RequestForm,
        response: { 200: CreatedOut, ...errors },
      },
    },
    async (request, reply) => {
      const id = await postRequest(app.db, contextOf(request), app.calendars, request.body);
      const row = await findRequestById(app.db, id);
      const out = [
        { service_request_id: row?.number ?? String(id), service_notice: row ? serviceNotice(row) : null, account_id: null },
      ];
      return send(reply, request.params.format, out, xml.requests);
    },
  );

  app.get(
    '/v2/requests.:format',
    {
      schema: {
        tags,
        summary:
          'GeoReport v2 service requests: filters service_request_id, service_code, start_date, end_date, status; page, page_size (the Pagination extension)',
        params: Type.Object({ format: Format }),
        querystring: RequestsQuery,
        response: { 200: Type.Array(RequestOut), ...errors },
      },
    },
    async (request, reply) => {
      const { jurisdiction_id, api_key: _, ...q } = request.query;
      const m = await jurisdictionOf(app.db, jurisdiction_id);
      const { rows, next } = await readRequests(app.db, contextOf(request), m.id, q);
      // The next page (GeoReport v2 «Pagination» extension) as a Link header (RFC 8288): the same query, page + 1.
      if (next) {
        const query = new URLSearchParams(request.url.split('?')[1] ?? '');
        query.delete('api_key'); // a GET needs none: not repeated into a header a shared cache may keep
        query.set('page', String(next.page));
        query.set('page_size', String(next.size));
        const base = app.config.publicUrl.replace(/\/$/, '');
        reply.header('link', `<${base}/open311/v2/requests.${request.params.format}?${query}>; rel="next"`);
      }
      return sendPublic(request, reply, request.params.format, rows.map(presentRequest), xml.requests);
    },
  );

  app.get(
    '/v2/requests/:service_request_id.:format',
    {
      schema: {
        tags,
        summary: 'GeoReport v2 one service request (by its case number)',
        params: Type.Object({ service_request_id: Type.String({ minLength: 1, maxLength: 100 }), format: Format }),
        querystring: JurisdictionQuery,
        response: { 200: Type.Array(RequestOut), ...errors },
      },
    },
    async (request, reply) => {
      const m = await jurisdictionOf(app.db, request.query.jurisdiction_id);
      const row = await readRequest(app.db, m.id, request.params.service_request_id);
      return sendPublic(request, reply, request.params.format, [presentRequest(row)], xml.requests);
    },
  );

  app.get(
    '/v2/tokens/:token.:format',
    {
      schema: {
        tags,
        summary: 'GeoReport v2 request id from a token (our services are realtime: POST returns the id, never a token)',
        params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), format: Format }),
        querystring: JurisdictionQuery,
        response: { 200: TokenOut, ...errors },
      },
    },
    async (request) => {
      await jurisdictionOf(app.db, request.query.jurisdiction_id);
      throw new AppError('NOT_FOUND', `token "${request.params.token}" not found: services here are realtime`);
    },
  );

  app.get(
    '/v2/servicerequestupdates.:format',
    {
      schema: {
        tags,
        summary: 'FixMyStreet extension: status changes of the jurisdiction’s requests between start_date and end_date',
        params: Type.Object({ format: Format }),
        querystring: UpdatesQuery,
        response: { 200: Type.Array(UpdateOut), ...errors },
      },
    },
    async (request, reply) => {
      const m = await jurisdictionOf(app.db, request.query.jurisdiction_id);
      const events = await readUpdates(app.db, contextOf(request), m.id, request.query);
      return sendPublic(request, reply, request.params.format, presentUpdates(events, m.time_zone), xml.updates);
    },
  );
};
