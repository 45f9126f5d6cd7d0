import { type Kysely, sql } from 'kysely';
import type { Database, JobStatus } from '../db/schema.ts';

/**
 * The job table's SQL: enqueue (used by commands, inside their own transaction) and the state changes the
 * runner makes. Every time here is passed in by the caller — see the note on time in runner.ts.
 */

/** A database or a transaction: Kysely's Transaction is a Kysely, so a command passes its `trx`. */
export type JobDb = Kysely<Database>;

export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'done', 'dead'];
export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_ERROR_LENGTH = 4000;

export interface EnqueueOptions {
  /**
   * The caller's "now" (a command passes `ctx.now`, a job handler `ctx.now`). It must come from the same
   * clock the runner uses; the default is the system time, which is right only in production code paths.
   */
  now?: Date;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Added to runAt (or now): a delayed job. */
  delayMs?: number;
  /** Attempts before the job goes to the dead letter (default 5). */
  maxAttempts?: number;
  /** Idempotent enqueue: while a job with this key exists, enqueueing it again returns that job. */
  dedupeKey?: string;
}

export interface EnqueueResult {
  id: number;
  /** false when the dedupe key was already taken and the existing job was returned. */
  created: boolean;
}

export interface NewJob {
  name: string;
  payload?: unknown;
  options?: EnqueueOptions;
}

function rowOf(job: NewJob) {
  const { name, payload = {}, options = {} } = job;
  if (!name || name.length > 200) throw new Error(`job name must be 1–200 characters, got "${name}"`);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
    throw new Error(`maxAttempts must be an integer from 1 to 100, got ${maxAttempts}`);
  }
  const delayMs = options.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error(`delayMs must be ≥ 0, got ${delayMs}`);
  const now = options.now ?? new Date();
  const runAt = new Date((options.runAt ?? now).getTime() + delayMs);
  if (Number.isNaN(runAt.getTime())) throw new Error('runAt is not a valid date');
  return {
    name,
    payload: JSON.stringify(payload),
    run_at: runAt,
    max_attempts: maxAttempts,
    dedupe_key: options.dedupeKey ?? null,
    created_at: now,
  };
}

/**
 * Adds a job. Pass the transaction that makes the state change the job belongs to, so both commit or
 * neither does. With a dedupe key that is already taken, nothing is added and the existing job's id returns.
 */
export async function enqueue(
  db: JobDb,
  name: string,
  payload: unknown = {},
  options: EnqueueOptions = {},
): Promise<EnqueueResult> {
  const row = rowOf({ name, payload, options });
  const inserted = await db
    .insertInto('job')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('job')
    .select('id')
    .where('dedupe_key', '=', row.dedupe_key as string)
    .executeTakeFirst();
  if (!existing) throw new Error(`job with dedupe key "${row.dedupe_key}" was neither added nor found; try again`);
  return { id: existing.id, created: false };
}

/** Adds many jobs in one statement (fan-out); jobs whose dedupe key is taken are skipped. Returns the new ids. */
export async function enqueueMany(db: JobDb, jobs: NewJob[]): Promise<number[]> {
  if (jobs.length === 0) return [];
  const rows = await db
    .insertInto('job')
    .values(jobs.map(rowOf))
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A job as its handler sees it, with the lease that fences every later write (locked_by + attempts). */
export interface ClaimedJob {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  createdAt: Date;
  dedupeKey: string | null;
}

interface ClaimedRow {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  run_at: Date | string;
  created_at: Date | string;
  dedupe_key: string | null;
}

const asDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/**
 * Takes up to `limit` due jobs whose names this worker handles: one statement that locks the candidate rows
 * with FOR UPDATE SKIP LOCKED (a row another worker is claiming at the same moment is skipped, not waited
 * for), marks them running under this worker's lease and counts the attempt.
 */
export async function claimJobs(
  db: JobDb,
  args: { workerId: string; names: readonly string[]; now: Date; leaseMs: number; limit: number },
): Promise<ClaimedJob[]> {
  if (args.names.length === 0 || args.limit < 1) return [];
  const until = new Date(args.now.getTime() + args.leaseMs);
  const { rows } = await sql<ClaimedRow>`
    with next as (
      select id from job
      where status = 'pending' and run_at <= ${args.now} and name in (${sql.join(args.names)})
      order by run_at, id
      limit ${args.limit}
      for update skip locked
    )
    update job set status = 'running', locked_by = ${args.workerId}, locked_until = ${until},
      attempts = job.attempts + 1, started_at = ${args.now}
    from next
    where job.id = next.id and job.status = 'pending'
    returning job.id, job.name, job.payload, job.attempts, job.max_attempts, job.run_at, job.created_at, job.dedupe_key
  `.execute(db);
  return rows
    .map((r) => ({
      id: Number(r.id),
      name: r.name,
      payload: r.payload,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAt: asDate(r.run_at),
      createdAt: asDate(r.created_at),
      dedupeKey: r.dedupe_key,
    }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Locks the job row if this worker still holds its lease (inside a transactional handler's transaction). */
export async function lockIfLeased(trx: JobDb, job: ClaimedJob, workerId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('job')
    .select('id')
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .where('attempts', '=', job.attempts)
    .forUpdate()
    .executeTakeFirst();
  return !!row;
}

/** Marks the job done if this worker still holds its lease; false when the lease was lost meanwhile. */
export async function completeJob(db: JobDb, job: ClaimedJob, workerId: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('job')
    .set({ status: 'done', finished_at: now, locked_by: null, locked_until: null })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  return res.numUpdatedRows === 1n;
}

export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.stack && error.stack.length > 0 ? error.stack : `${error.name}: ${error.message}`;
  else {
    try {
      text = typeof error === 'string' ? error : JSON.stringify(error);
    } catch {
      text = String(error);
    }
  }
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * Records a failed attempt, if this worker still holds the lease: back to pending at `retryAt`, or, when the
 * attempts are used up, to the dead letter. Returns the new status, or null when the lease was lost.
 */
export async function failJob(
  db: JobDb,
  job: ClaimedJob,
  args: { workerId: string; now: Date; error: string; retryAt: Date },
): Promise<'pending' | 'dead' | null> {
  const dead = job.attempts >= job.maxAttempts;
  const res = await db
    .updateTable('job')
    .set(
      dead
        ? { status: 'dead', finished_at: args.now, last_error: args.error, locked_by: null, locked_until: null }
        : { status: 'pending', run_at: args.retryAt, last_error: args.error, locked_by: null, locked_until: null },
    )
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', args.workerId)
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  if (res.numUpdatedRows !== 1n) return null;
  return dead ? 'dead' : 'pending';
}

/** Extends the leases of this worker's running jobs. */
export async function renewLeases(db: JobDb, args: { workerId: string; ids: number[]; now: Date; leaseMs: number }) {
  if (args.ids.length === 0) return;
  await db
    .updateTable('job')
    .set({ locked_until: new Date(args.now.getTime() + args.leaseMs) })
    .where('id', 'in', args.ids)
    .where('status', '=', 'running')
    .where('locked_by', '=', args.workerId)
    .execute();
}

/**
 * A worker that crashed (or stalled past its lease) leaves jobs running with an expired lease: they go back to
 * pending, due at once, or to the dead letter if that was their last attempt. Any node may do this.
 */
export async function reapExpiredLeases(db: JobDb, args: { now: Date; limit?: number }): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    with expired as (
      select id from job
      where status = 'running' and locked_until < ${args.now}
      order by locked_until
      limit ${args.limit ?? 100}
      for update skip locked
    )
    update job set
      status = case when job.attempts >= job.max_attempts then 'dead' else 'pending' end,
      finished_at = case when job.attempts >= job.max_attempts then ${args.now}::timestamptz else null end,
      run_at = case when job.attempts >= job.max_attempts then job.run_at else ${args.now}::timestamptz end,
      last_error = 'lease expired: worker ' || job.locked_by || ' stopped or stalled during attempt ' || job.attempts,
      locked_by = null,
      locked_until = null
    from expired
    where job.id = expired.id and job.status = 'running'
    returning job.id
  `.execute(db);
  return rows.length;
}

/** Deletes finished jobs older than the cutoff, a batch at a time (their dedupe keys become free again). */
export async function purgeDoneJobs(db: JobDb, args: { before: Date; limit?: number }): Promise<number> {
  const res = await sql`
    delete from job where id in (
      select id from job where status = 'done' and finished_at < ${args.before} limit ${args.limit ?? 1000}
    )
  `.execute(db);
  return Number(res.numAffectedRows ?? 0n);
}

export interface JobRow {
  id: number;
  name: string;
  payload: unknown;
  status: JobStatus;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  dedupeKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function findJob(db: JobDb, id: number, options: { forUpdate?: boolean } = {}): Promise<JobRow | undefined> {
  let q = db.selectFrom('job').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toJobRow(r);
}

export function toJobRow(r: {
  id: number;
  name: string;
  payload: unknown;
  status: JobStatus;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: Date | null;
  dedupe_key: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}): JobRow {
  return {
    id: Number(r.id),
    name: r.name,
    payload: r.payload,
    status: r.status,
    runAt: r.run_at,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    lockedBy: r.locked_by,
    lockedUntil: r.locked_until,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * A dead job gets a new set of attempts, due at `now` (its last error stays until the next outcome).
 * Returns the job before and after, or undefined when there is no such job; throws nothing on a job that is
 * not dead — the caller decides (the admin route answers 409).
 */
export async function retryDeadJob(
  trx: JobDb,
  id: number,
  now: Date,
): Promise<{ before: JobRow; after: JobRow | undefined } | undefined> {
  const before = await findJob(trx, id, { forUpdate: true });
  if (!before) return undefined;
  if (before.status !== 'dead') return { before, after: undefined };
  const row = await trx
    .updateTable('job')
    .set({ status: 'pending', attempts: 0, run_at: now, started_at: null, finished_at: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before, after: toJobRow(row) };
}
