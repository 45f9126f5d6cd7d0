/**
 * Background jobs over the `job` table: enqueue() inside a command's transaction, a JobRunner in every app
 * node claims due jobs with FOR UPDATE SKIP LOCKED leases, retries with backoff, and moves a job that failed
 * max_attempts times to the dead letter (status 'dead'), where a regional admin sees and can retry it.
 */
export { type BackoffPolicy, backoffMs, DEFAULT_BACKOFF } from './backoff.ts';
export { registerPayloadView, viewPayload } from './payload-views.ts';
export {
  type ClaimedJob,
  claimJobs,
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  type EnqueueResult,
  enqueue,
  enqueueMany,
  findJob,
  JOB_STATUSES,
  type JobDb,
  type JobRow,
  type NewJob,
  reapExpiredLeases,
  retryDeadJob,
  toJobRow,
} from './queue.ts';
export {
  type JobContext,
  type JobHandler,
  type JobLogger,
  JobRunner,
  type JobRunnerOptions,
  type JobRunnerStats,
  type RegisterOptions,
  type ScheduleOptions,
} from './runner.ts';
export { firstRunAt, nextDailyAfter, nextRunAfter, type ScheduleSpec, zonedToUtc } from './schedule.ts';
