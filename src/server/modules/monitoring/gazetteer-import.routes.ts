import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { importGazetteer, readGazetteer } from './gazetteer-import.commands.ts';
import { GazetteerEntryOut, GazetteerQuery, ImportBody, ImportOut } from './gazetteer-import.schemas.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

/** The gazetteer's imported places (streets, settlements); the contract is in gazetteer-import.schemas.ts. */
export const gazetteerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['monitoring'];

  app.get(
    '/monitoring/gazetteer',
    {
      schema: {
        tags,
        summary: 'The gazetteer’s imported places of one’s municipalities',
        querystring: GazetteerQuery,
        response: { 200: Type.Object({ items: Type.Array(GazetteerEntryOut) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const rows = await readGazetteer(app.db, contextOf(request), request.query.municipalityId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          municipalityId: r.municipality_id,
          kind: r.kind,
          name: r.name,
          aliases: r.aliases,
          strict: r.strict,
        })),
      };
    },
  );

  app.post(
    '/monitoring/gazetteer/import',
    {
      schema: {
        tags,
        summary: 'Import places into the gazetteer (CSV: kind;name;municipality_slug;aliases[;strict]), all lines or none',
        body: ImportBody,
        response: { 200: ImportOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return importGazetteer(app.db, contextOf(request), request.body.csv);
    },
  );
};
