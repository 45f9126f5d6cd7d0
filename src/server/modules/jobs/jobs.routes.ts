import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireRole } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { DateTime, ErrorResponse, StringEnum } from '../../core/http/schemas.ts';
import { JOB_STATUSES, type JobRow, viewPayload } from '../../core/jobs/index.ts';
import { retryJob } from './commands/retry-job.ts';
import { countJobs, listJobs, listSchedules } from './jobs.repository.ts';

/** Background jobs are region-wide infrastructure: only a regional administrator sees and retries them. */
const ADMIN_ROLES = ['regional_admin'] as const;

const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const JobStatusName = StringEnum(JOB_STATUSES as readonly ['pending', 'running', 'done', 'dead'], {
  description: 'pending (waiting for run_at; with attempts > 0, waiting to retry), running (leased), done, dead (dead letter)',
});

const Job = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: JobStatusName,
  payload: Type.Unknown(),
  runAt: DateTime,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lockedBy: Type.Union([Type.String(), Type.Null()]),
  lockedUntil: NullableDateTime,
  dedupeKey: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  startedAt: NullableDateTime,
  finishedAt: NullableDateTime,
});

const Counts = Type.Object({
  pending: Type.Integer(),
  running: Type.Integer(),
  done: Type.Integer(),
  dead: Type.Integer(),
  retrying: Type.Integer({ description: 'pending jobs that failed at least once (included in pending)' }),
});

const Schedule = Type.Object({
  name: Type.String(),
  jobName: Type.String(),
  payload: Type.Unknown(),
  everySeconds: Type.Union([Type.Integer(), Type.Null()]),
  dailyAt: Type.Union([Type.String(), Type.Null()]),
  timeZone: Type.Union([Type.String(), Type.Null()]),
  nextRunAt: DateTime,
  lastRunAt: NullableDateTime,
  lastJobId: Type.Union([Type.Integer(), Type.Null()]),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const presentJob = (j: JobRow) => ({
  id: j.id,
  name: j.name,
  status: j.status,
  payload: viewPayload(j.name, j.payload),
  runAt: j.runAt.toISOString(),
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  lastError: j.lastError,
  lockedBy: j.lockedBy,
  lockedUntil: iso(j.lockedUntil),
  dedupeKey: j.dedupeKey,
  createdAt: j.createdAt.toISOString(),
  startedAt: iso(j.startedAt),
  finishedAt: iso(j.finishedAt),
});

export const jobsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['jobs'];

  app.get(
    '/admin/jobs',
    {
      schema: {
        tags,
        summary: 'Background jobs, newest first, with counts per status (keyset pagination with `before`)',
        querystring: Type.Object(
          {
            status: Type.Optional(JobStatusName),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'return jobs with id below this' })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Job),
            counts: Counts,
            nextBefore: Type.Union([Type.Integer(), Type.Null()]),
          }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request) => {
      requireRole(request, ADMIN_ROLES);
      const f = request.query;
      const [rows, counts] = await Promise.all([listJobs(app.db, f), countJobs(app.db, f.name)]);
      return {
        items: rows.map(presentJob),
        counts,
        nextBefore: rows.length === f.limit ? (rows[rows.length - 1]?.id ?? null) : null,
      };
    },
  );

  app.get(
    '/admin/jobs/schedules',
    {
      schema: {
        tags,
        summary: 'Recurring jobs: their timing, next and last run',
        response: { 200: Type.Object({ items: Type.Array(Schedule) }), 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      requireRole(request, ADMIN_ROLES);
      const rows = await listSchedules(app.db);
      return {
        items: rows.map((s) => ({
          name: s.name,
          jobName: s.job_name,
          payload: s.payload,
          everySeconds: s.every_seconds,
          dailyAt: s.daily_at,
          timeZone: s.time_zone,
          nextRunAt: s.next_run_at.toISOString(),
          lastRunAt: iso(s.last_run_at),
          lastJobId: s.last_job_id === null ? null : Number(s.last_job_id),
        })),
      };
    },
  );

  app.post(
    '/admin/jobs/:id/retry',
    {
      schema: {
        tags,
        summary: 'Send a dead-letter job back to the queue with a fresh set of attempts (audited)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Job,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request) => {
      requireRole(request, ADMIN_ROLES);
      const job = await retryJob(app.db, contextOf(request), request.params.id);
      return presentJob(job);
    },
  );
};
