import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { joinReport } from '../cases/index.ts';
import { mapReports, nearbyReports, publicPhoto, publicReport } from './commands/read-map.ts';
import { presentMapReports, presentNearby, presentReport } from './map.presenters.ts';
import { JoinOut, MapConfigOut, MapReportsOut, MapReportsQuery, NearbyOut, NearbyQuery, ReportOut } from './map.schemas.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/**
 * The public map of reports (issue 5): markers in a box, a report's public page and its two public photos, the
 * map's configuration; signed in: reports nearby and joining one. Nothing here returns personal data: no applicant,
 * no text of the report or of the answer.
 */
export const mapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['map'];

  app.get(
    '/map/config',
    { schema: { tags, summary: 'The map’s tile server (public)', response: { 200: MapConfigOut } } },
    async () => ({ tileUrl: app.config.mapTileUrl ?? null, attribution: app.config.mapTileAttribution ?? null }),
  );

  app.get(
    '/map/reports',
    {
      schema: {
        tags,
        summary: 'Reports in a bounding box: open, and solved in the last 30 days (public; no personal data)',
        querystring: MapReportsQuery,
        response: { 200: MapReportsOut, ...errors },
      },
    },
    async (request, reply) => {
      const found = await mapReports(app.db, app.clock.now(), request.query);
      // The document is JSON text already (its markers are built by the query): a string with a JSON type goes out
      // as it is (Fastify serialises by the response schema only what is not a string), hence the cast.
      return reply
        .header('cache-control', 'public, max-age=30')
        .type('application/json; charset=utf-8')
        .send(presentMapReports(found) as never);
    },
  );

  app.get(
    '/map/reports/:id',
    {
      schema: {
        tags,
        summary: 'A report’s public page: category, place, status, timeline (types and dates), before/after photos',
        params: Id,
        response: { 200: ReportOut, ...errors },
      },
    },
    async (request) => presentReport(await publicReport(app.db, request.params.id)),
  );

  app.get(
    '/map/reports/:id/photos/:attachmentId',
    {
      schema: {
        tags,
        summary: 'A report’s before or after photo without its metadata (public; no other file of the case is)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const photo = await publicPhoto(app.db, request.params.id, request.params.attachmentId);
      reply
        .type(photo.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=300')
        .header('content-security-policy', "default-src 'none'; sandbox");
      return reply.send(photo.bytes);
    },
  );

  app.get(
    '/map/nearby',
    {
      schema: {
        tags,
        summary: 'Already reported nearby: open reports of the category within the radius (signed in), nearest first',
        querystring: NearbyQuery,
        response: { 200: NearbyOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: (await nearbyReports(app.db, contextOf(request), request.query)).map(presentNearby) };
    },
  );

  app.post(
    '/cases/:id/join',
    {
      schema: {
        tags,
        summary: 'Join a report instead of filing a new one: your own case in its cluster, answered with it',
        params: Id,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: JoinOut, 201: JoinOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const r = await joinReport(app.db, contextOf(request), app.calendars, request.params.id);
      reply.code(r.created ? 201 : 200);
      return { id: r.id, number: r.number, primaryId: r.primaryId, primaryNumber: r.primaryNumber, joined: r.joined };
    },
  );
};
