import { type Kysely, sql } from 'kysely';

// Issue 8: the regional stage of the Всероссийский конкурс «Лучшая муниципальная практика» (ПП РФ от 18.08.2016
// № 815; domain-ru §6): the contest with its categories and commission, the municipalities' applications and their
// compliance check, the commission's meeting (attendance, ballots, explicit tie-breaks), the decisions (places,
// recommendations to the federal stage, assignments), the approved protocol and the publication of the winners.
//
// contest.status: setup → meeting (the commission votes) → decided (the meeting is closed, places fixed) →
// approved (the protocol is signed off: nothing changes any more) → published (the winners are public).
// contest_application.status: draft → submitted → returned (remarks; edit and submit again) | conforms → admitted.
// A ballot is one row per member and application (a rank, or criteria scores 1–10); a member votes once per
// category (unique member × application), and nobody may change it afterwards. Calendar dates (the approval, an
// assignment's due date) are text YYYY-MM-DD: the same on PGlite and pg, no time zone to shift them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contest (
      id integer generated always as identity primary key,
      region_id integer not null references region(id),
      year integer not null check (year between 2016 and 2100),
      stage text not null check (stage in ('regional', 'federal')),
      title text not null check (length(title) between 1 and 500),
      nomination text not null check (length(nomination) between 1 and 2000),
      organizer text not null default '',
      regulation text not null default '',
      applications_from timestamptz not null,
      applications_to timestamptz not null,
      resubmit_to timestamptz,
      review_to timestamptz,
      meeting_at timestamptz,
      meeting_place text not null default '',
      agenda jsonb not null default '[]',
      method text not null check (method in ('ranking', 'criteria')),
      criteria jsonb not null default '[]',
      recommend_top integer not null default 1 check (recommend_top between 0 and 10),
      status text not null default 'setup' check (status in ('setup', 'meeting', 'decided', 'approved', 'published')),
      compliance_note text not null default '',
      protocol_number text,
      approved_on text check (approved_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      approver_position text,
      approver_name text,
      published_at timestamptz,
      created_by integer references app_user(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (applications_to > applications_from),
      unique (region_id, year, stage, nomination)
    );

    create table contest_category (
      id integer generated always as identity primary key,
      contest_id integer not null references contest(id) on delete cascade,
      code text not null check (length(code) between 1 and 10),
      name text not null check (length(name) between 1 and 500),
      municipality_types text[] not null,
      position integer not null,
      tiebreak jsonb,
      unique (contest_id, code)
    );

    create table contest_member (
      id integer generated always as identity primary key,
      contest_id integer not null references contest(id) on delete cascade,
      role text not null check (role in ('chair', 'deputy_chair', 'secretary', 'member')),
      last_name text not null check (length(last_name) between 1 and 100),
      first_name text not null check (length(first_name) between 1 and 100),
      middle_name text,
      position text not null default '',
      user_id integer references app_user(id),
      present boolean,
      sort integer not null,
      unique (contest_id, user_id)
    );
    create unique index contest_member_one_chair_idx on contest_member (contest_id, role)
      where role in ('chair', 'deputy_chair', 'secretary');

    create table contest_application (
      id integer generated always as identity primary key,
      contest_id integer not null references contest(id) on delete cascade,
      municipality_id integer not null references municipality(id),
      category_id integer not null references contest_category(id),
      applicant_name text not null,
      status text not null default 'draft'
        check (status in ('draft', 'submitted', 'returned', 'conforms', 'admitted')),
      sections jsonb not null default '{}',
      figures jsonb not null default '[]',
      attachment_ids integer[] not null default '{}',
      remarks text,
      submitted_at timestamptz,
      checked_at timestamptz,
      admitted_at timestamptz,
      place integer,
      recommended boolean not null default false,
      created_by integer references app_user(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contest_id, municipality_id)
    );
    create index contest_application_municipality_idx on contest_application (municipality_id);

    create table contest_vote (
      id integer generated always as identity primary key,
      contest_id integer not null references contest(id) on delete cascade,
      member_id integer not null references contest_member(id),
      category_id integer not null references contest_category(id),
      application_id integer not null references contest_application(id),
      rank integer check (rank >= 1),
      scores jsonb,
      recorded_by integer references app_user(id),
      on_paper boolean not null default false,
      recorded_at timestamptz not null,
      unique (member_id, application_id),
      check ((rank is null) <> (scores is null))
    );
    -- A recorded vote is never changed (issue 8: «nobody can change a vote»).
    create function contest_vote_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'contest_vote is append-only';
    end $$;
    create trigger contest_vote_no_update before update on contest_vote
      for each row execute function contest_vote_immutable();

    create table contest_assignment (
      id integer generated always as identity primary key,
      contest_id integer not null references contest(id) on delete cascade,
      text text not null check (length(text) between 1 and 4000),
      responsible text not null check (length(responsible) between 1 and 1000),
      due_on text check (due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      sort integer not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table contest_assignment;
    drop table contest_vote;
    drop function contest_vote_immutable();
    drop table contest_application;
    drop table contest_member;
    drop table contest_category;
    drop table contest;
  `.execute(db);
}
