import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { presentDrill } from './analytics.presenters.ts';
import {
  DrillOut,
  DrillQuery,
  ExecutorsOut,
  ExecutorsQuery,
  HeatOut,
  HeatQuery,
  RegionOut,
  RegionQuery,
  SummaryOut,
  SummaryQuery,
} from './analytics.schemas.ts';
import { readDrill } from './commands/read-drill.ts';
import { readExecutors } from './commands/read-executors.ts';
import { readHeat } from './commands/read-heat.ts';
import { readRegion } from './commands/read-region.ts';
import { readSummary } from './commands/read-summary.ts';
import { REFRESH_EVERY_SECONDS, REFRESH_JOB, refreshAnalytics } from './commands/refresh-analytics.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * Issue 7: the figures (summary of a municipality, the region side by side, a department's executors), the cases
 * behind each figure and the heat map. Also registers the refresh job (analytics.refresh), scheduled when the app
 * listens, which keeps the rollups current between reads.
 */
export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.jobs.register(REFRESH_JOB, async (_payload, job) => {
    await refreshAnalytics(job.db as Db, app.calendars, { now: job.now });
  });
  app.addHook('onListen', async () => {
    app.jobs.schedule(REFRESH_JOB, { everySeconds: REFRESH_EVERY_SECONDS });
  });

  app.get(
    '/analytics/municipalities/:id/summary',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'The head of a municipality’s dashboard: the period’s figures (cases received in it) next to a comparison ' +
          'period, breakdowns, the 12-month trend and the overdue list',
        params: IdParams,
        querystring: SummaryQuery,
        response: { 200: SummaryOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return readSummary(app.db, contextOf(request), app.calendars, request.params.id, request.query);
    },
  );

  app.get(
    '/analytics/region/summary',
    {
      schema: {
        tags: ['analytics'],
        summary: 'The region: municipalities side by side with the key figures (regional roles)',
        querystring: RegionQuery,
        response: { 200: RegionOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return readRegion(app.db, contextOf(request), app.calendars, request.query);
    },
  );

  app.get(
    '/analytics/departments/:id/executors',
    {
      schema: {
        tags: ['analytics'],
        summary: 'A department head’s view: per executor, assigned, answered, on time, overdue now, mean resolution',
        params: IdParams,
        querystring: ExecutorsQuery,
        response: { 200: ExecutorsOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return readExecutors(app.db, contextOf(request), app.calendars, request.params.id, request.query);
    },
  );

  app.get(
    '/analytics/drill',
    {
      schema: {
        tags: ['analytics'],
        summary: 'The cases behind a figure (exactly those it counts), with the dimension filters of a breakdown row',
        querystring: DrillQuery,
        response: { 200: DrillOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentDrill(await readDrill(app.db, contextOf(request), app.calendars, request.query));
    },
  );

  app.get(
    '/analytics/heat',
    {
      schema: {
        tags: ['analytics'],
        summary: 'The heat map: cases with a point received in the period, counted per grid cell',
        querystring: HeatQuery,
        response: { 200: HeatOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return readHeat(app.db, contextOf(request), app.calendars, request.query);
    },
  );
};
