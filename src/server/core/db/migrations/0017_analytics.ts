import { type Kysely, sql } from 'kysely';

// Issue 7 (analytics): figures that stay instant at a million cases (modules/analytics/README.md).
//
// `analytics_case` holds one row of facts per case (its day of receipt in the municipality's zone, its dimensions,
// state, lateness, reaction and resolution times in calendar and working milliseconds, rating, …), computed in
// TypeScript by modules/analytics/facts.ts with core/time (working hours need the production calendar).
// `analytics_daily` sums those facts per municipality × day of receipt × dimension value (the total, each channel,
// regime, category, department, district): the dashboards read a few hundred of its rows instead of the cases.
//
// Which cases need their facts recomputed is recorded by triggers, in the transaction that changes the case: every
// insert into `case_event` and every insert or update of `case` upserts the case's row in `analytics_dirty` (no
// module code is involved, so no intake or workflow path can forget it). A refresh (the job `analytics.refresh`, and
// every analytics read before it answers) takes dirty rows with FOR UPDATE SKIP LOCKED, recomputes those cases,
// applies the difference to the rollup and deletes the marks, all in one transaction. The upsert (not "do nothing")
// in the trigger takes the mark's row lock until the changing transaction commits, so a refresh never consumes a
// mark whose change it cannot see yet. An id cursor over case_event would not do: ids are taken at insert, not at
// commit, so a later id can commit first and a cursor moved past it would skip the earlier one for ever.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table analytics_dirty (
      case_id integer primary key,
      marks integer not null default 1
    );

  `.execute(db);
  // One function per table (the column holding the case id differs); statement-level with transition tables, so a
  // multi-row insert of the intake costs one statement.
  await sql`
    create function analytics_mark_from_event() returns trigger language plpgsql as $$
    begin
      insert into analytics_dirty (case_id)
        select distinct case_id from changed order by case_id
      on conflict (case_id) do update set marks = analytics_dirty.marks + 1;
      return null;
    end $$;
    create function analytics_mark_from_case() returns trigger language plpgsql as $$
    begin
      insert into analytics_dirty (case_id)
        select id from changed order by id
      on conflict (case_id) do update set marks = analytics_dirty.marks + 1;
      return null;
    end $$;
    create trigger analytics_case_event_inserted after insert on case_event
      referencing new table as changed for each statement execute function analytics_mark_from_event();
    create trigger analytics_case_inserted after insert on "case"
      referencing new table as changed for each statement execute function analytics_mark_from_case();
    create trigger analytics_case_updated after update on "case"
      referencing new table as changed for each statement execute function analytics_mark_from_case();

    create table analytics_case (
      case_id integer primary key references "case"(id),
      municipality_id integer not null,
      received_at timestamptz not null,
      received_day date not null,
      regime text not null,
      channel text not null,
      category_id integer,
      department_id integer,
      place_id integer,
      executor_user_id integer,
      state text not null check (state in ('open', 'answered', 'redirected', 'closed')),
      due_at timestamptz,
      overdue boolean not null,
      on_time boolean,
      reaction_at timestamptz,
      reaction_ms bigint,
      reaction_work_ms bigint,
      answered_at timestamptz,
      resolution_ms bigint,
      resolution_work_ms bigint,
      ever_answered boolean not null,
      reopened boolean not null,
      redirected boolean not null,
      converted boolean not null,
      rating smallint,
      applicant_key text,
      prev_same_day date,
      cell_lat integer,
      cell_lon integer,
      computed_at timestamptz not null
    );
    -- The cohort of a period (cases received in it): the percentiles and repeats read only this index.
    create index analytics_case_cohort_idx on analytics_case (municipality_id, received_day)
      include (regime, state, reaction_ms, reaction_work_ms, resolution_ms, resolution_work_ms, prev_same_day);
    -- Open cases whose deadline is still ahead: the refresh marks them overdue when it passes.
    create index analytics_case_due_idx on analytics_case (due_at) where state = 'open' and not overdue;
    create index analytics_case_overdue_idx on analytics_case (municipality_id, due_at) where overdue;
    create index analytics_case_department_idx on analytics_case (department_id, received_day)
      include (executor_user_id, state, on_time, resolution_work_ms) where department_id is not null;
    create index analytics_case_heat_idx on analytics_case (municipality_id, received_day)
      include (cell_lat, cell_lon, category_id) where cell_lat is not null;

    create table analytics_daily (
      municipality_id integer not null,
      day date not null,
      dim text not null check (dim in ('total', 'channel', 'regime', 'category', 'department', 'district')),
      key text not null,
      received integer not null default 0,
      answered integer not null default 0,
      open integer not null default 0,
      overdue integer not null default 0,
      on_time integer not null default 0,
      late integer not null default 0,
      redirected integer not null default 0,
      closed integer not null default 0,
      ever_answered integer not null default 0,
      reopened integer not null default 0,
      converted integer not null default 0,
      rated integer not null default 0,
      rated_positive integer not null default 0,
      reaction_n integer not null default 0,
      reaction_ms bigint not null default 0,
      reaction_work_n integer not null default 0,
      reaction_work_ms bigint not null default 0,
      resolution_n integer not null default 0,
      resolution_ms bigint not null default 0,
      resolution_work_n integer not null default 0,
      resolution_work_ms bigint not null default 0,
      primary key (municipality_id, day, dim, key)
    );
    -- The monthly trend reads one dimension over a year.
    create index analytics_daily_dim_idx on analytics_daily (municipality_id, dim, day);

    -- One row: when a refresh last found nothing left to do (by the app's clock): the figures' "as of".
    create table analytics_state (
      id boolean primary key default true check (id),
      clean_at timestamptz
    );
    insert into analytics_state (id, clean_at) values (true, null);

    -- "Repeat appeals": the previous case of the same applicant (account, else e-mail) in the same category.
    create index case_applicant_category_idx on "case"
      (municipality_id, category_id, (coalesce('u' || applicant_user_id::text, 'e' || lower(email))), received_at, id)
      where category_id is not null and (applicant_user_id is not null or email is not null);

    -- Cases already there get their facts at the first refresh.
    insert into analytics_dirty (case_id) select id from "case";
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index case_applicant_category_idx;
    drop table analytics_state; drop table analytics_daily; drop table analytics_case;
    drop trigger analytics_case_updated on "case"; drop trigger analytics_case_inserted on "case";
    drop trigger analytics_case_event_inserted on case_event;
    drop function analytics_mark_from_case(); drop function analytics_mark_from_event();
    drop table analytics_dirty;
  `.execute(db);
}
