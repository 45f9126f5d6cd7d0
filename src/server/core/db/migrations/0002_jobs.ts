import { type Kysely, sql } from 'kysely';

// The job queue (core/jobs): one row per job, claimed by workers with FOR UPDATE SKIP LOCKED and held by a
// lease (locked_by + locked_until); recurring jobs come from job_schedule. All timestamps are written by the
// runner from its injected clock (see core/jobs/runner.ts), never by now() here, except created_at defaults.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job (
      id bigint generated always as identity primary key,
      name text not null check (length(name) between 1 and 200),
      payload jsonb not null default '{}',
      -- pending: waiting for run_at (a failed job waiting for its retry is pending with attempts > 0);
      -- running: claimed, lease in locked_until; done: finished; dead: failed max_attempts times (dead letter).
      status text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
      run_at timestamptz not null,
      attempts integer not null default 0 check (attempts >= 0),
      max_attempts integer not null default 5 check (max_attempts between 1 and 100),
      last_error text,
      locked_by text,
      locked_until timestamptz,
      dedupe_key text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      -- A lease exists exactly while the job runs.
      check ((status = 'running') = (locked_by is not null and locked_until is not null))
    );
    -- Idempotent enqueue: a dedupe key is taken for as long as its job row exists.
    create unique index job_dedupe_key_idx on job (dedupe_key) where dedupe_key is not null;
    create index job_due_idx on job (run_at, id) where status = 'pending';
    create index job_lease_idx on job (locked_until) where status = 'running';
    create index job_status_idx on job (status, id desc);
    create index job_name_idx on job (name, id desc);
    create index job_finished_idx on job (finished_at) where status = 'done';

    -- Recurring jobs: every N seconds, or daily at HH:MM in a time zone. The runner that moves next_run_at
    -- forward (under a row lock, SKIP LOCKED) is the one that enqueues that period's job.
    create table job_schedule (
      name text primary key check (length(name) between 1 and 200),
      job_name text not null,
      payload jsonb not null default '{}',
      every_seconds integer check (every_seconds > 0),
      daily_at text check (daily_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      time_zone text,
      next_run_at timestamptz not null,
      last_run_at timestamptz,
      last_job_id bigint,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((every_seconds is null) <> (daily_at is null)),
      check ((daily_at is null) = (time_zone is null))
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_schedule; drop table job;`.execute(db);
}
