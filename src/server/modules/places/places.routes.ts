import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { importPlaces } from './commands/import-places.ts';
import { readPlaceRoutes, savePlaceRoutes } from './commands/save-place-routes.ts';
import { presentPlace, presentPlaceRoutes } from './places.presenters.ts';
import { listPlaces } from './places.repository.ts';
import {
  LocateOut,
  LocateQuery,
  PlaceRoutesBody,
  PlaceRoutesOut,
  PlacesImportBody,
  PlacesImportOut,
  PlacesOut,
  PlacesQuery,
} from './places.schemas.ts';

/** A boundary file may be large (a real district has thousands of vertices; core/geo GEOJSON_LIMITS caps it). */
export const PLACES_IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** Boundaries (public), locating a point (public), the boundary import and district routes (issue 5). */
export const placesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['places'];
  // Boundary files are often saved as application/geo+json (RFC 7946 §12); parse them as JSON (this plugin only).
  app.addContentTypeParser(
    'application/geo+json',
    { parseAs: 'string', bodyLimit: PLACES_IMPORT_BODY_LIMIT },
    app.getDefaultJsonParser('error', 'ignore'),
  );

  app.get(
    '/places',
    {
      schema: {
        tags,
        summary: 'Boundaries as a GeoJSON FeatureCollection (public; filter by municipality and kind)',
        querystring: PlacesQuery,
        response: { 200: PlacesOut, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const rows = await listPlaces(app.db, request.query);
      reply.type('application/geo+json');
      return { type: 'FeatureCollection' as const, features: rows.map(presentPlace) };
    },
  );

  app.get(
    '/places/locate',
    {
      schema: {
        tags,
        summary: 'The municipality and district a point lies in (public)',
        querystring: LocateQuery,
        response: { 200: LocateOut, 400: ErrorResponse },
      },
    },
    async (request) => app.places.locate(request.query.lat, request.query.lon),
  );

  app.post(
    '/municipalities/:id/places/import',
    {
      bodyLimit: PLACES_IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Load boundaries from GeoJSON (municipal administrator): properties name, kind (municipality|district|tos), ' +
          'code; replaces the places of the kinds in the file; every problem listed, nothing changed on any',
        params: Id,
        body: PlacesImportBody,
        response: { 200: PlacesImportOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return importPlaces(app.db, contextOf(request), request.params.id, request.body, { source: 'upload' });
    },
  );

  app.get(
    '/municipalities/:id/place-routes',
    {
      schema: {
        tags,
        summary: 'District routes: category × district → department (staff of the municipality)',
        params: Id,
        response: { 200: PlaceRoutesOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentPlaceRoutes(await readPlaceRoutes(app.db, contextOf(request), request.params.id));
    },
  );

  app.put(
    '/municipalities/:id/place-routes',
    {
      schema: {
        tags,
        summary: 'Replace the district routes (municipal administrator)',
        params: Id,
        body: PlaceRoutesBody,
        response: { 200: PlaceRoutesOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentPlaceRoutes(await savePlaceRoutes(app.db, contextOf(request), request.params.id, request.body.routes));
    },
  );
};
