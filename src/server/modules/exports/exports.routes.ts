import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { contentDisposition, MEDIA_TYPES } from '../../core/documents/index.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { feedbackReportFile } from './commands/feedback-report.ts';
import { openDataExport } from './commands/open-data.ts';
import { exportSummary, type FileOut } from './commands/summary-export.ts';
import {
  FileResponse,
  OpenDataParams,
  OpenDataQuery,
  ReportParams,
  StreamResponse,
  SummaryExportParams,
  SummaryExportQuery,
} from './exports.schemas.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** A file made for one signed-in reader: saved under its Russian name, never cached by a shared cache. */
function sendFile(reply: FastifyReply, file: FileOut) {
  return reply
    .type(file.contentType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

/** Open data is cached by anyone for an hour (the current year) or a day (a year that is over). */
export const OPEN_DATA_MAX_AGE = { current: 3600, closed: 86_400 } as const;

/**
 * Issue 7, item 4: exports of the analytics tables (CSV, XLSX), the annual feedback report (DOCX, PDF), and open
 * data (CSV, JSON) at stable public URLs. Registered by app.ts under /api/v1.
 */
export const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/exports/analytics/municipalities/:id/summary.:format',
    {
      schema: {
        tags: ['exports'],
        summary:
          'The municipal dashboard’s tables (figures with definitions, by channel, regime, category, department, district, ' +
          'trend, overdue) as CSV for Russian Excel (UTF-8 with BOM, `;`) or XLSX (a sheet per table); who may: as the dashboard',
        params: SummaryExportParams,
        querystring: SummaryExportQuery,
        response: { 200: FileResponse, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const { id, format } = request.params;
      return sendFile(reply, await exportSummary(app.db, contextOf(request), app.calendars, id, request.query, format));
    },
  );

  app.get(
    '/reports/municipalities/:id/feedback-:year.:format',
    {
      schema: {
        tags: ['exports'],
        summary:
          'The annual feedback report of a municipality (the figures a contest application cites, with definitions) as DOCX ' +
          'or PDF; its heads and administrators and the regional roles',
        params: ReportParams,
        response: { 200: FileResponse, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const { id, year, format } = request.params;
      return sendFile(reply, await feedbackReportFile(app.db, contextOf(request), app.calendars, id, year, format));
    },
  );

  app.get(
    '/open-data/:slug/cases.:format',
    {
      schema: {
        tags: ['open data'],
        summary:
          'Open data: a municipality’s cases of a year without personal data (no applicant, contacts, text or address; ' +
          'points of map reports rounded to 0.01°), CSV (RFC 4180) or JSON with a description of the fields; public, streamed',
        params: OpenDataParams,
        querystring: OpenDataQuery,
        response: { 200: StreamResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const now = app.clock.now();
      const { slug, format } = request.params;
      const data = await openDataExport(app.db, slug, request.query.year, format, now, app.config.publicUrl);
      const maxAge = data.closedYear ? OPEN_DATA_MAX_AGE.closed : OPEN_DATA_MAX_AGE.current;
      reply
        .type(MEDIA_TYPES[format])
        .header('cache-control', `public, max-age=${maxAge}`)
        // Open data is for any site and program to read.
        .header('access-control-allow-origin', '*')
        .header('cross-origin-resource-policy', 'cross-origin');
      if (format === 'csv') reply.header('content-disposition', contentDisposition(`${slug}-cases-${data.year}.csv`));
      return reply.send(data.body);
    },
  );
};
