import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { type Clock, systemClock } from '../clock.ts';
import { type BackoffPolicy, backoffMs, DEFAULT_BACKOFF } from './backoff.ts';
import {
  type ClaimedJob,
  claimJobs,
  completeJob,
  describeError,
  enqueue,
  failJob,
  type JobDb,
  lockIfLeased,
  purgeDoneJobs,
  reapExpiredLeases,
  renewLeases,
} from './queue.ts';
import { firstRunAt, nextRunAfter, type ScheduleSpec, validateSchedule } from './schedule.ts';

/*
 * Time. Every time the queue compares or stores (run_at, the lease, started_at, finished_at, a schedule's
 * next_run_at) comes from the runner's injected Clock, never from the database's now(). Commands compute
 * run_at from their own ctx.now (a reminder at a legal deadline), and the runner must compare against the same
 * clock; mixing in the database's now() would make a test with a FixedClock (2026-03-02) disagree with a
 * server whose real date differs. Across nodes this assumes NTP-synchronised clocks: a skew only moves when a
 * job becomes due by that skew, and it is far below the lease (60 s, renewed every 20 s).
 *
 * Exactly once. A job is claimed by one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED): two workers
 * never claim the same row. Every later write (done, failed, lease renewal) is fenced by (locked_by, attempts),
 * so a worker that lost its lease cannot overwrite the next attempt. A worker that dies mid-job leaves an
 * expired lease; the job runs again (at-least-once for side effects outside the database). A handler
 * registered with { transactional: true } runs inside a transaction that also marks the job done, holding
 * the job's row lock: its database writes happen exactly once even across crashes.
 */

export interface JobContext {
  job: Omit<ClaimedJob, 'payload'>;
  /** The database; for a transactional handler, the transaction that also marks the job done — use only it. */
  db: JobDb;
  /** The runner's clock at the start of this attempt. */
  now: Date;
  /** Aborted when stop() gives up waiting (its timeout): finish or throw soon. */
  signal: AbortSignal;
  workerId: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a handler declares its own payload type
export type JobHandler<P = any> = (payload: P, ctx: JobContext) => Promise<void> | void;

export interface RegisterOptions {
  /** Run the handler in a transaction that also marks the job done (handler writes commit exactly once). */
  transactional?: boolean;
}

export interface ScheduleOptions {
  /** The job to enqueue (default: the schedule's name). */
  job?: string;
  payload?: unknown;
}

/** Pino-compatible (Fastify's app.log fits). */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silentLogger: JobLogger = { info() {}, warn() {}, error() {} };

export interface JobRunnerOptions {
  clock?: Clock;
  /** Names this worker in locked_by; default host:pid:random. */
  workerId?: string;
  /** Jobs run at once by this runner (default 4). */
  concurrency?: number;
  /** How often an idle runner looks for due jobs (default 1000 ms). */
  pollIntervalMs?: number;
  /** How long a claim holds before another node may take the job over (default 60 s; renewed every third). */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** The jitter source (tests pass a constant). */
  random?: () => number;
  logger?: JobLogger;
  /** Finished jobs are deleted after this long (default 14 days; 0 keeps them). */
  retainDoneMs?: number;
}

export interface JobRunnerStats {
  claimed: number;
  succeeded: number;
  retried: number;
  dead: number;
  /** Attempts whose result was discarded because the lease had passed to another worker. */
  leaseLost: number;
}

interface Registered {
  handler: JobHandler;
  transactional: boolean;
}

interface ScheduleDef {
  name: string;
  spec: ScheduleSpec;
  job: string;
  payload: unknown;
}

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Runs jobs from the `job` table. Every app node runs one; they share the work through the database.
 * register() handlers and schedule() recurring jobs, then start(); stop() waits for jobs in flight.
 * Tests drive it by hand with runOnce() / drain() instead of start().
 */
export class JobRunner {
  readonly workerId: string;
  readonly stats: JobRunnerStats = { claimed: 0, succeeded: 0, retried: 0, dead: 0, leaseLost: 0 };
  readonly #db: JobDb;
  readonly #clock: Clock;
  readonly #concurrency: number;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #backoff: BackoffPolicy;
  readonly #random: () => number;
  readonly #log: JobLogger;
  readonly #retainDoneMs: number;
  readonly #handlers = new Map<string, Registered>();
  readonly #schedules = new Map<string, ScheduleDef>();
  readonly #inFlight = new Map<number, { promise: Promise<void>; heartbeat: boolean }>();
  readonly #abort = new AbortController();
  #schedulesSynced = false;
  #lastPurge = 0;
  #running = false;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(db: JobDb, options: JobRunnerOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#concurrency = positive('concurrency', options.concurrency ?? 4);
    if (!Number.isInteger(this.#concurrency))
      throw new Error(`JobRunner concurrency must be an integer, got ${this.#concurrency}`);
    this.#pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1000);
    this.#leaseMs = positive('leaseMs', options.leaseMs ?? 60_000);
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#random = options.random ?? Math.random;
    this.#log = options.logger ?? silentLogger;
    this.#retainDoneMs = options.retainDoneMs ?? 14 * 24 * 3600_000;
  }

  /** The handler for jobs named `name`. A runner claims only jobs it has a handler for. */
  register<P = unknown>(name: string, handler: JobHandler<P>, options: RegisterOptions = {}): this {
    if (this.#handlers.has(name)) throw new Error(`job "${name}" already has a handler`);
    this.#handlers.set(name, { handler: handler as JobHandler, transactional: options.transactional ?? false });
    return this;
  }

  /**
   * A recurring job: `name` identifies the schedule (one row in job_schedule, shared by all nodes); each due
   * period enqueues one job (default name: the schedule's). Whichever node moves next_run_at forward enqueues.
   */
  schedule(name: string, spec: ScheduleSpec, options: ScheduleOptions = {}): this {
    validateSchedule(spec);
    if (this.#schedules.has(name)) throw new Error(`schedule "${name}" is already defined`);
    this.#schedules.set(name, { name, spec, job: options.job ?? name, payload: options.payload ?? {} });
    this.#schedulesSynced = false;
    return this;
  }

  get isRunning(): boolean {
    return this.#running;
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.#running) return;
    if (this.#stopping) throw new Error('a stopped JobRunner cannot be started again; make a new one');
    this.#running = true;
    this.#heartbeat = setInterval(() => void this.#renew(), Math.max(1, Math.floor(this.#leaseMs / 3)));
    this.#heartbeat.unref();
    this.#loop = this.#run();
    this.#log.info({ workerId: this.workerId, jobs: [...this.#handlers.keys()] }, 'job runner started');
  }

  /**
   * Stops claiming and waits for the jobs in flight to finish. With `timeoutMs`, stops waiting after that long
   * and aborts the handlers' signal; a job still running then is taken over by another node when its lease ends.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    const all = Promise.allSettled([...this.#inFlight.values()].map((f) => f.promise));
    if (options.timeoutMs === undefined) await all;
    else {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), options.timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        this.#abort.abort(new Error('job runner stopping'));
        this.#log.warn({ workerId: this.workerId, inFlight: [...this.#inFlight.keys()] }, 'stopped with jobs in flight');
      }
    }
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#running) this.#log.info({ workerId: this.workerId, ...this.stats }, 'job runner stopped');
    this.#running = false;
  }

  /**
   * One round by hand (tests, the CLI): reclaim expired leases, enqueue due schedules, then claim up to
   * `concurrency` due jobs and run them; resolves when they are finished. Returns how many it ran.
   */
  async runOnce(): Promise<number> {
    if (this.#running) throw new Error('runOnce() is for a runner that was not start()ed');
    await this.#maintain();
    const jobs = await this.#claim(this.#concurrency);
    await Promise.all(jobs.map((job) => this.#execute(job)));
    return jobs.length;
  }

  /** Rounds of runOnce() until nothing is due (by the runner's clock). Returns how many jobs ran. */
  async drain(options: { maxRounds?: number } = {}): Promise<number> {
    let total = 0;
    for (let round = 0; round < (options.maxRounds ?? 10_000); round++) {
      const n = await this.runOnce();
      if (n === 0) return total;
      total += n;
    }
    return total;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let wantMore = false;
      try {
        await this.#maintain();
        const free = this.#concurrency - this.#inFlight.size;
        if (free > 0) {
          const jobs = await this.#claim(free);
          for (const job of jobs) this.#spawn(job);
          wantMore = jobs.length === free;
        } else {
          wantMore = true;
        }
      } catch (error) {
        if (this.#stopping) break;
        this.#log.error({ err: error, workerId: this.workerId }, 'job runner poll failed');
      }
      if (this.#stopping) break;
      // A full batch means more may be waiting: look again as soon as a slot frees, else after the interval.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#pollIntervalMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = wantMore ? done : () => (this.#stopping ? done() : undefined);
      });
      this.#wake = undefined;
    }
  }

  #spawn(job: ClaimedJob): void {
    const entry = { promise: Promise.resolve(), heartbeat: !this.#handlers.get(job.name)?.transactional };
    this.#inFlight.set(job.id, entry);
    entry.promise = this.#execute(job)
      .catch((error) => this.#log.error({ err: error, jobId: job.id, job: job.name }, 'job bookkeeping failed'))
      .finally(() => {
        this.#inFlight.delete(job.id);
        this.#wake?.();
      });
  }

  async #claim(limit: number): Promise<ClaimedJob[]> {
    const jobs = await claimJobs(this.#db, {
      workerId: this.workerId,
      names: [...this.#handlers.keys()],
      now: this.#clock.now(),
      leaseMs: this.#leaseMs,
      limit,
    });
    this.stats.claimed += jobs.length;
    return jobs;
  }

  async #execute(job: ClaimedJob): Promise<void> {
    const registered = this.#handlers.get(job.name);
    if (!registered) throw new Error(`claimed job "${job.name}" has no handler`);
    const now = this.#clock.now();
    const { payload, ...meta } = job;
    const ctx = (db: JobDb): JobContext => ({ job: meta, db, now, signal: this.#abort.signal, workerId: this.workerId });
    try {
      if (registered.transactional) {
        const outcome = await this.#db.transaction().execute(async (trx) => {
          if (!(await lockIfLeased(trx, job, this.workerId))) return 'lost' as const;
          await registered.handler(payload, ctx(trx));
          await completeJob(trx, job, this.workerId, this.#clock.now());
          return 'done' as const;
        });
        if (outcome === 'lost') this.#lost(job);
        else this.stats.succeeded++;
        return;
      }
      await registered.handler(payload, ctx(this.#db));
    } catch (error) {
      await this.#failed(job, error);
      return;
    }
    if (await completeJob(this.#db, job, this.workerId, this.#clock.now())) this.stats.succeeded++;
    else this.#lost(job);
  }

  async #failed(job: ClaimedJob, error: unknown): Promise<void> {
    const now = this.#clock.now();
    const retryAt = new Date(now.getTime() + backoffMs(job.attempts, this.#backoff, this.#random));
    const status = await failJob(this.#db, job, { workerId: this.workerId, now, error: describeError(error), retryAt });
    const fields = { err: error, jobId: job.id, job: job.name, attempt: job.attempts, maxAttempts: job.maxAttempts };
    if (status === 'dead') {
      this.stats.dead++;
      this.#log.error(fields, 'job failed for the last time: moved to the dead letter');
    } else if (status === 'pending') {
      this.stats.retried++;
      this.#log.warn({ ...fields, retryAt }, 'job failed; will retry');
    } else this.#lost(job);
  }

  #lost(job: ClaimedJob): void {
    this.stats.leaseLost++;
    this.#log.warn({ jobId: job.id, job: job.name, attempt: job.attempts }, 'job lease was lost; its result is discarded');
  }

  async #renew(): Promise<void> {
    const ids = [...this.#inFlight.entries()].filter(([, f]) => f.heartbeat).map(([id]) => id);
    if (ids.length === 0) return;
    try {
      await renewLeases(this.#db, { workerId: this.workerId, ids, now: this.#clock.now(), leaseMs: this.#leaseMs });
    } catch (error) {
      this.#log.error({ err: error, workerId: this.workerId }, 'renewing job leases failed');
    }
  }

  /** Housekeeping every round: expired leases, due schedules; now and then, old finished jobs. */
  async #maintain(): Promise<void> {
    const now = this.#clock.now();
    const reaped = await reapExpiredLeases(this.#db, { now });
    if (reaped > 0) this.#log.warn({ reaped }, 'reclaimed jobs whose lease had expired');
    if (this.#schedules.size > 0) {
      if (!this.#schedulesSynced) {
        await syncSchedules(this.#db, [...this.#schedules.values()], now);
        this.#schedulesSynced = true;
      }
      await tickSchedules(this.#db, [...this.#schedules.keys()], now);
    }
    if (this.#retainDoneMs > 0 && now.getTime() - this.#lastPurge >= PURGE_EVERY_MS) {
      this.#lastPurge = now.getTime();
      await purgeDoneJobs(this.#db, { before: new Date(now.getTime() - this.#retainDoneMs) });
    }
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`JobRunner ${name} must be a positive number, got ${value}`);
  return value;
}

function specColumns(spec: ScheduleSpec) {
  return 'everySeconds' in spec
    ? { every_seconds: spec.everySeconds, daily_at: null, time_zone: null }
    : { every_seconds: null, daily_at: spec.dailyAt, time_zone: spec.timeZone };
}

function specOf(row: { every_seconds: number | null; daily_at: string | null; time_zone: string | null }): ScheduleSpec {
  if (row.every_seconds !== null) return { everySeconds: row.every_seconds };
  return { dailyAt: row.daily_at ?? '00:00', timeZone: row.time_zone ?? 'UTC' };
}

/**
 * Writes the schedule definitions (every node does this at start; the same definition changes nothing).
 * A changed timing restarts the schedule from its first run after now; an unchanged one keeps next_run_at.
 */
export async function syncSchedules(db: JobDb, defs: ScheduleDef[], now: Date): Promise<void> {
  for (const def of defs) {
    await db
      .insertInto('job_schedule')
      .values({
        name: def.name,
        job_name: def.job,
        payload: JSON.stringify(def.payload),
        ...specColumns(def.spec),
        next_run_at: firstRunAt(def.spec, now),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            job_name: (eb) => eb.ref('excluded.job_name'),
            payload: (eb) => eb.ref('excluded.payload'),
            every_seconds: (eb) => eb.ref('excluded.every_seconds'),
            daily_at: (eb) => eb.ref('excluded.daily_at'),
            time_zone: (eb) => eb.ref('excluded.time_zone'),
            next_run_at: sql`case when ${sql.raw(SAME_TIMING)} then job_schedule.next_run_at else excluded.next_run_at end`,
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          })
          .where(
            sql<boolean>`not (${sql.raw(SAME_TIMING)}) or job_schedule.job_name is distinct from excluded.job_name
              or job_schedule.payload is distinct from excluded.payload`,
          ),
      )
      .execute();
  }
}

const SAME_TIMING = `job_schedule.every_seconds is not distinct from excluded.every_seconds
  and job_schedule.daily_at is not distinct from excluded.daily_at
  and job_schedule.time_zone is not distinct from excluded.time_zone`;

/**
 * Enqueues one job for each due schedule among `names` and moves its next_run_at past now, in one
 * transaction per tick. A schedule row another node is ticking is skipped (SKIP LOCKED); once that node
 * commits, the row is no longer due. The dedupe key (schedule + due time) guards the same period twice.
 */
export async function tickSchedules(db: JobDb, names: string[], now: Date): Promise<number> {
  if (names.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('job_schedule')
      .selectAll()
      .where('name', 'in', names)
      .where('next_run_at', '<=', now)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const s of due) {
      const dueAt = s.next_run_at instanceof Date ? s.next_run_at : new Date(s.next_run_at);
      const { id } = await enqueue(trx, s.job_name, s.payload ?? {}, {
        now,
        runAt: dueAt,
        dedupeKey: `schedule:${s.name}:${dueAt.toISOString()}`,
      });
      await trx
        .updateTable('job_schedule')
        .set({ next_run_at: nextRunAfter(specOf(s), dueAt, now), last_run_at: now, last_job_id: id, updated_at: now })
        .where('name', '=', s.name)
        .execute();
    }
    return due.length;
  });
}
