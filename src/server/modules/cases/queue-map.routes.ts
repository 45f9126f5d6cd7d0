import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { casesRoutes } from './cases.routes.ts';
import type { Calendars } from './commands/submit-case.ts';
import { presentQueueMap } from './queue-map.presenters.ts';
import { QueueMapOut, QueueMapQuery } from './queue-map.schemas.ts';
import { readQueueMap } from './queue-map.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** The staff map of the queue (issue 5 point 5): the queue's filters as markers, and the cases without a point. */
export const queueMapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cases/map',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Staff: the queue on a map — the same filters and scope as GET /cases, markers in a box (at most 20,000, the ' +
          'nearest deadline first) and the cases without a point',
        querystring: QueueMapQuery,
        response: { 200: QueueMapOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentQueueMap(await readQueueMap(app.db, contextOf(request), request.query));
    },
  );
};

/** The cases routes with the queue's map beside them (registered as casesRoutes through the module's index.ts). */
export const casesWithQueueMapRoutes =
  (calendars: Calendars): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(casesRoutes(calendars));
    await app.register(queueMapRoutes);
  };
