import type { Db } from '../../core/db/index.ts';
import type { JobStatus } from '../../core/db/schema.ts';
import { type JobRow, toJobRow } from '../../core/jobs/index.ts';

/** The jobs module's reads of the queue, for the admin pages. */

export interface JobFilter {
  status?: JobStatus | undefined;
  name?: string | undefined;
  before?: number | undefined;
  limit: number;
}

/** Newest first, keyset-paginated by id. */
export async function listJobs(db: Db, f: JobFilter): Promise<JobRow[]> {
  let q = db.selectFrom('job').selectAll().orderBy('id', 'desc').limit(f.limit);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.name) q = q.where('name', '=', f.name);
  if (f.before) q = q.where('id', '<', f.before);
  return (await q.execute()).map(toJobRow);
}

export interface JobCounts {
  pending: number;
  running: number;
  done: number;
  dead: number;
  /** Pending jobs that have failed at least once and wait for their retry (counted in pending too). */
  retrying: number;
}

export async function countJobs(db: Db, name?: string): Promise<JobCounts> {
  let q = db.selectFrom('job').select((eb) => [
    eb.fn.countAll<number>().filterWhere('status', '=', 'pending').as('pending'),
    eb.fn.countAll<number>().filterWhere('status', '=', 'running').as('running'),
    eb.fn.countAll<number>().filterWhere('status', '=', 'done').as('done'),
    eb.fn.countAll<number>().filterWhere('status', '=', 'dead').as('dead'),
    eb.fn
      .countAll<number>()
      .filterWhere((w) => w.and([w('status', '=', 'pending'), w('attempts', '>', 0)]))
      .as('retrying'),
  ]);
  if (name) q = q.where('name', '=', name);
  const r = await q.executeTakeFirstOrThrow();
  return {
    pending: Number(r.pending),
    running: Number(r.running),
    done: Number(r.done),
    dead: Number(r.dead),
    retrying: Number(r.retrying),
  };
}

export async function listSchedules(db: Db) {
  return db.selectFrom('job_schedule').selectAll().orderBy('name').execute();
}
